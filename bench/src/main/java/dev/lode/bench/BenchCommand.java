package dev.lode.bench;

import dev.lode.cli.Command;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.PositionalParamSpec;

/** {@code bin/lode bench <name> [args]}: runs one benchmark and prints its figures. */
@CommandLine.Command(name = "bench", mixinStandardHelpOptions = true, synopsisSubcommandLabel = "BENCHMARK",
    description = "Run a benchmark and print its figures and how they were made (with the load average: the"
        + " machine may be shared).",
    footerHeading = "%nExamples:%n",
    footer = {"  bin/lode bench insert 1000000 3", "  bin/lode bench cli", "  bin/lode bench load --help"})
public final class BenchCommand implements Command {
  private final Map<String, Benchmark> benches = new LinkedHashMap<>();

  @CommandLine.Spec
  CommandSpec spec;

  public BenchCommand() {
    add(new InsertBenchmark());
    add(new CollectorBenchmark());
    add(new LoadBenchmark());
    add(new SimulateBenchmark());
    add(new TagsBenchmark());
    add(new RecommendBenchmark());
    add(new SqlBenchmark());
    add(new PrivacyBenchmark());
    add(new DosBenchmark());
    add(new CliBenchmark());
    add(new ConsoleBenchmark());
  }

  private void add(Benchmark b) {
    benches.put(b.name(), b);
  }

  @Override
  public Integer call() {
    throw new CommandLine.ParameterException(spec.commandLine(), "expects a benchmark: "
        + String.join(", ", benches.keySet()));
  }

  /** Adds {@code bench} with one subcommand per benchmark, each taking the benchmark's own arguments. */
  @Override
  public void addTo(CommandLine parent) {
    CommandLine bench = new CommandLine(this);
    for (Benchmark b : benches.values()) {
      bench.addSubcommand(b.name(), new CommandLine(subcommand(b)));
    }
    parent.addSubcommand("bench", bench);
  }

  private static CommandSpec subcommand(Benchmark b) {
    List<String> args = new ArrayList<>();
    CommandSpec s = CommandSpec.wrapWithoutInspection((java.util.concurrent.Callable<Integer>) () -> {
      b.run(List.copyOf(args));
      return 0;
    });
    s.name(b.name());
    s.mixinStandardHelpOptions(true);
    s.usageMessage().description(b.summary());
    s.addPositional(PositionalParamSpec.builder().paramLabel("ARG").arity("0..*").type(List.class)
        .auxiliaryTypes(String.class).description("the benchmark's arguments, in order (see above)")
        .setter(new CommandLine.Model.ISetter() {
          @Override
          @SuppressWarnings("unchecked")
          public <T> T set(T value) {
            args.clear();
            if (value != null) {
              args.addAll((List<String>) value);
            }
            return null;
          }
        }).build());
    return s;
  }
}
