package dev.lode.cli;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;

/** Entry point of {@code bin/lode}: dispatches to the registered subcommands. */
public final class Lode {
  private static final Map<String, Command> COMMANDS = new LinkedHashMap<>();

  static {
    register(new ServeCommand());
    register(new SqlCommand());
    register(new EngineCommand());
    register(new ReportCommand());
    register(new LoadCommand());
    register(new SimulateCommand());
    register(new ResolveCommand());
    register(new DemoCommand());
    register(new ForgetCommand());
    register(new TagsCommand());
    register(new ProfilesCommand());
    // commands of modules above the application (the benchmarks) when they are on the class path
    ServiceLoader.load(Command.class).forEach(Lode::register);
  }

  private Lode() {
  }

  private static void register(Command c) {
    COMMANDS.put(c.name(), c);
  }

  public static void main(String[] argv) {
    System.exit(run(List.of(argv)));
  }

  /** Runs a command line and returns its exit code (0 ok, 1 failed, 2 usage). */
  public static int run(List<String> argv) {
    if (argv.isEmpty() || argv.get(0).equals("help") || argv.get(0).equals("--help")) {
      usage();
      return argv.isEmpty() ? 2 : 0;
    }
    Command c = COMMANDS.get(argv.get(0));
    if (c == null) {
      System.err.println("lode: unknown command '" + argv.get(0) + "'");
      usage();
      return 2;
    }
    try {
      return c.run(argv.subList(1, argv.size()));
    } catch (UsageException e) {
      System.err.println("lode " + c.name() + ": " + e.getMessage());
      return 2;
    } catch (Exception e) {
      System.err.println("lode " + c.name() + ": " + (e.getMessage() == null ? e.toString() : e.getMessage()));
      if (System.getenv("LODE_DEBUG") != null) {
        e.printStackTrace();
      }
      return 1;
    }
  }

  private static void usage() {
    System.err.println("usage: bin/lode <command> [args]\n");
    for (Command c : COMMANDS.values()) {
      System.err.printf("  %-8s %s%n", c.name(), c.summary());
    }
    System.err.printf("  %-8s %s%n", "test", "run the test suite (./mvnw verify)");
  }

  /** A command line the command cannot accept; exits with code 2. */
  public static final class UsageException extends Exception {
    private static final long serialVersionUID = 1L;

    public UsageException(String message) {
      super(message);
    }
  }
}
