package dev.lode.engine;

import java.nio.file.Path;

/**
 * A separate JVM that opens the engine over a data directory, runs SQL given on the
 * command line and prints each result; {@code --halt} ends it without any shutdown, as a
 * crash would. Used to prove data outlives the process.
 */
public final class EngineProcess {
  private EngineProcess() {
  }

  public static void main(String[] args) {
    boolean halt = args[0].equals("--halt");
    int first = halt ? 1 : 0;
    EmbeddedEngine engine = EmbeddedEngine.start(EngineConfig.defaults(Path.of(args[first]), "u", "p").withSessions(1));
    for (int i = first + 1; i < args.length; i++) {
      System.out.print(engine.query(args[i]));
    }
    System.out.flush();
    if (halt) {
      Runtime.getRuntime().halt(0);
    }
    engine.close();
  }
}
