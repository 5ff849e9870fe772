package dev.lode.cli;

import dev.lode.app.LodeVersion;
import java.io.PrintWriter;
import java.util.List;
import java.util.ServiceLoader;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;
import org.slf4j.bridge.SLF4JBridgeHandler;

/** Entry point of {@code bin/lode}: parses the command line with picocli and runs the subcommand. */
@CommandLine.Command(name = "lode", mixinStandardHelpOptions = true, versionProvider = Lode.Version.class,
    synopsisSubcommandLabel = "COMMAND",
    description = "Customer-behavior analytics as plain SQL: serve Lode, query it, load data, refresh tags, run reports.",
    footerHeading = "%nExamples:%n",
    footer = {"  bin/lode serve", "  bin/lode sql \"SELECT version()\"", "  bin/lode help sql", "",
        "Paths on the command line are relative to the directory you run bin/lode from.", "",
        "Exit codes: 0 ok, 1 failed (the error is on stderr), 2 usage error (a wrong option or argument).",
        "'bin/lode test' runs the test suite (./mvnw verify)."})
public final class Lode implements Callable<Integer> {
  /** Exit code of a command line the command cannot accept. */
  public static final int USAGE = 2;
  /** Exit code of a command that ran and failed. */
  public static final int FAILED = 1;

  /**
   * The built-in commands in the order help lists them, created when needed: picocli reads a
   * command's annotations when it is added, and reading all of them was a third of the start
   * of a one-statement {@code bin/lode sql}, so a command line naming one adds only that one.
   */
  private static final List<String> COMMANDS = List.of("serve", "sql", "status", "load", "demo", "simulate", "resolve",
      "profiles", "tags", "tune", "report", "forget", "engine");

  /** A new built-in command (a switch, not a table of lambdas: linking those cost the start as well). */
  private static Object command(String name) {
    return switch (name) {
      case "serve" -> new ServeCommand();
      case "sql" -> new SqlCommand();
      case "status" -> new StatusCommand();
      case "load" -> new LoadCommand();
      case "demo" -> new DemoCommand();
      case "simulate" -> new SimulateCommand();
      case "resolve" -> new ResolveCommand();
      case "profiles" -> new ProfilesCommand();
      case "tags" -> new TagsCommand();
      case "tune" -> new TuneCommand();
      case "report" -> new ReportCommand();
      case "forget" -> new ForgetCommand();
      case "engine" -> new EngineCommand();
      default -> throw new IllegalArgumentException(name);
    };
  }

  @Spec
  CommandSpec spec;

  @Override
  public Integer call() {
    spec.commandLine().usage(spec.commandLine().getErr());
    return USAGE;
  }

  public static void main(String[] argv) {
    // a script's one SELECT is answered before picocli and the log backend are loaded
    java.util.OptionalInt quick = QuickSql.run(argv);
    if (quick.isPresent()) {
      System.exit(quick.getAsInt());
    }
    logging(argv.length > 0 ? argv[0] : "");
    System.exit(run(argv));
  }

  /**
   * One log backend with timestamps: java.util.logging (Jersey, the JDK) goes to SLF4J; a
   * server logs at info, a one-shot command only its warnings (its answer is what it prints).
   */
  private static void logging(String command) {
    if (System.getProperty("org.slf4j.simpleLogger.defaultLogLevel") == null) {
      String level = System.getenv("LODE_LOG_LEVEL");
      System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", level != null ? level
          : command.equals("serve") || command.equals("engine") ? "info" : "warn");
    }
    SLF4JBridgeHandler.removeHandlersForRootLogger();
    SLF4JBridgeHandler.install();
  }

  /** Runs a command line and returns its exit code (0 ok, 1 failed, 2 usage). */
  public static int run(String... argv) {
    return commandLine(argv).execute(argv);
  }

  /** Runs a command line writing to {@code out} and {@code err}; returns its exit code. */
  public static int run(PrintWriter out, PrintWriter err, String... argv) {
    CommandLine cl = commandLine(argv);
    cl.setOut(out);
    cl.setErr(err);
    return cl.execute(argv);
  }

  /** Every command, with the modules above the application (the benchmarks) when they are on the class path. */
  public static CommandLine commandLine() {
    return commandLine(new String[0]);
  }

  /** The command line for {@code argv}: only the command it names when that is a built-in one, else every one. */
  static CommandLine commandLine(String[] argv) {
    CommandLine cl = new CommandLine(new Lode());
    if (argv.length > 0 && COMMANDS.contains(argv[0])) {
      cl.addSubcommand(argv[0], command(argv[0]));
    } else {
      for (String name : COMMANDS) {
        cl.addSubcommand(name, command(name));
      }
      ServiceLoader.load(Command.class).forEach(c -> c.addTo(cl));
      cl.addSubcommand("help", new CommandLine.HelpCommand());
    }
    cl.setParameterExceptionHandler(Lode::usageError);
    cl.setExecutionExceptionHandler(Lode::failure);
    return cl;
  }

  private static int usageError(CommandLine.ParameterException e, String[] args) {
    CommandLine cl = e.getCommandLine();
    PrintWriter err = cl.getErr();
    err.println(prefix(cl) + ": " + e.getMessage());
    CommandLine.UnmatchedArgumentException.printSuggestions(e, err);
    err.println("see '" + commandPath(cl) + " --help'");
    err.flush();
    return USAGE;
  }

  private static int failure(Exception e, CommandLine cl, CommandLine.ParseResult parsed) {
    PrintWriter err = cl.getErr();
    if (e instanceof UsageException) {
      err.println(prefix(cl) + ": " + e.getMessage());
      err.println("see '" + commandPath(cl) + " --help'");
      err.flush();
      return USAGE;
    }
    err.println(prefix(cl) + ": " + (e.getMessage() == null ? e.toString() : e.getMessage()));
    if (System.getenv("LODE_DEBUG") != null) {
      e.printStackTrace(err);
    }
    err.flush();
    return FAILED;
  }

  private static String prefix(CommandLine cl) {
    return cl.getCommandSpec().qualifiedName(" ");
  }

  private static String commandPath(CommandLine cl) {
    return "bin/" + cl.getCommandSpec().qualifiedName(" ");
  }

  /** Lode's version for {@code --version}. */
  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      return new String[] {"lode " + LodeVersion.get()};
    }
  }

  /** A command line the command cannot accept; exits with code 2. */
  public static final class UsageException extends Exception {
    private static final long serialVersionUID = 1L;

    public UsageException(String message) {
      super(message);
    }
  }
}
