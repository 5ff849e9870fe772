package dev.lode.bench;

import dev.lode.cli.Command;
import dev.lode.cli.Lode;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** {@code bin/lode bench <name> [args]}: runs one benchmark and prints its figures. */
public final class BenchCommand implements Command {
  private final Map<String, Benchmark> benches = new LinkedHashMap<>();

  public BenchCommand() {
    add(new InsertBenchmark());
    add(new CollectorBenchmark());
    add(new LoadBenchmark());
    add(new SimulateBenchmark());
    add(new TagsBenchmark());
    add(new RecommendBenchmark());
    add(new SqlBenchmark());
    add(new PrivacyBenchmark());
  }

  private void add(Benchmark b) {
    benches.put(b.name(), b);
  }

  @Override
  public String name() {
    return "bench";
  }

  @Override
  public String summary() {
    return "run a benchmark: " + String.join(", ", benches.keySet());
  }

  @Override
  public int run(List<String> args) throws Exception {
    if (args.isEmpty() || !benches.containsKey(args.get(0))) {
      StringBuilder b = new StringBuilder("expects a benchmark name:");
      benches.values().forEach(x -> b.append("\n  ").append(x.name()).append("  ").append(x.summary()));
      throw new Lode.UsageException(b.toString());
    }
    benches.get(args.get(0)).run(args.subList(1, args.size()));
    return 0;
  }
}
