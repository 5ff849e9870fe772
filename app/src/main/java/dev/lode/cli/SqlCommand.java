package dev.lode.cli;

import dev.lode.config.LodeConfig;
import dev.lode.warehouse.Warehouse;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Optional;
import java.util.Properties;

/**
 * {@code bin/lode sql "<query>"}: runs one statement and prints an aligned table, exiting
 * non-zero with the engine's error on failure. It talks to the running server's
 * warehouse if {@code bin/lode serve} is up on this data directory, else it opens the
 * configured warehouse itself.
 */
final class SqlCommand implements Command {
  @Override
  public String name() {
    return "sql";
  }

  @Override
  public String summary() {
    return "run a SQL statement and print the result: bin/lode sql \"SELECT version()\"";
  }

  @Override
  public int run(List<String> args) throws Exception {
    if (args.size() != 1 || args.get(0).isBlank()) {
      throw new Lode.UsageException("expects one quoted SQL statement, e.g. bin/lode sql \"SELECT version()\"");
    }
    LodeConfig config = LodeConfig.load();
    Optional<Properties> running = runningServer(config);
    if (running.isPresent() && config.get("lode.warehouse.url").isEmpty()) {
      Properties p = new Properties();
      p.setProperty("user", "lode");
      p.setProperty("password", Files.readString(config.dataDir().resolve("engine.password")).trim());
      p.setProperty("database", config.get("lode.warehouse.database", "lode"));
      p.setProperty("compress", "false");
      try (Connection c = DriverManager.getConnection(running.get().getProperty("warehouse.url"), p)) {
        return execute(c, args.get(0));
      }
    }
    try (Warehouse w = Warehouse.open(config); Connection c = w.connect()) {
      return execute(c, args.get(0));
    }
  }

  private static int execute(Connection c, String sql) {
    try (Statement st = c.createStatement()) {
      if (st.execute(sql)) {
        try (ResultSet rs = st.getResultSet()) {
          TablePrinter.print(rs, System.out, 10_000);
        }
      } else {
        System.out.println("OK" + (st.getUpdateCount() >= 0 ? " (" + st.getUpdateCount() + " rows)" : ""));
      }
      return 0;
    } catch (SQLException e) {
      System.err.println("error: " + e.getMessage());
      return 1;
    }
  }

  /** The run file of a live {@code bin/lode serve} over this data directory, if any. */
  static Optional<Properties> runningServer(LodeConfig config) {
    Path run = config.dataDir().resolve("run").resolve("server.properties");
    if (!Files.isRegularFile(run)) {
      return Optional.empty();
    }
    Properties p = new Properties();
    try (InputStream in = Files.newInputStream(run)) {
      p.load(in);
    } catch (java.io.IOException e) {
      return Optional.empty();
    }
    long pid;
    try {
      pid = Long.parseLong(p.getProperty("pid", "-1"));
    } catch (NumberFormatException e) {
      return Optional.empty();
    }
    return ProcessHandle.of(pid).filter(ProcessHandle::isAlive).map(h -> p);
  }
}
