package dev.lode.cli;

import dev.lode.config.Credentials;
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
 * non-zero with the error on failure. When {@code bin/lode serve} is up on this data
 * directory the statement goes through its Avatica JDBC endpoint as a Lode SQL user
 * ({@code lode.sql.user}, default admin; password from the credentials file) — Lode SQL with
 * the behavior functions, exactly what a BI tool sees. Otherwise, or with {@code --native},
 * it runs as ClickHouse SQL on the warehouse (the running server's, or one opened here).
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
    boolean nativeSql = !args.isEmpty() && args.get(0).equals("--native");
    if (nativeSql) {
      args = args.subList(1, args.size());
    }
    if (args.size() != 1 || args.get(0).isBlank()) {
      throw new Lode.UsageException("expects one quoted SQL statement, e.g. bin/lode sql \"SELECT version()\""
          + " (--native first to send ClickHouse SQL to the warehouse instead of Lode SQL to the server)");
    }
    LodeConfig config = LodeConfig.load();
    Optional<Properties> running = runningServer(config);
    if (running.isPresent() && !nativeSql && running.get().getProperty("url") != null) {
      String user = config.get("lode.sql.user", "admin");
      Credentials.User u = Credentials.load(config).users().get(user);
      if (u == null) {
        throw new Lode.UsageException("lode.sql.user=" + user + " is not a user in the credentials file");
      }
      Properties p = new Properties();
      p.setProperty("avatica_user", u.name());
      p.setProperty("avatica_password", u.password());
      try (Connection c = DriverManager.getConnection(avaticaUrl(running.get().getProperty("url")), p)) {
        return execute(c, args.get(0));
      }
    }
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
      System.err.println("error: " + reason(e.getMessage()));
      return 1;
    }
  }

  /**
   * The part of a remote error a user needs: the server's message after Avatica's
   * {@code … Remote driver error: } (without the causes listed to admins), or, where Avatica
   * wrapped an exception chain as {@code A -> B -> C}, the last link, which says what was wrong.
   */
  static String reason(String message) {
    if (message == null) {
      return "unknown error";
    }
    int remote = message.indexOf("Remote driver error: ");
    int causes = message.indexOf("\n  caused by ");
    // the causes listed to admins quote generated SQL, whose lambdas contain " -> " too
    if (remote >= 0 && !message.substring(0, causes < 0 ? message.length() : causes).contains(" -> ")) {
      String m = message.substring(remote + "Remote driver error: ".length());
      int caused = m.indexOf("\n  caused by ");
      return caused < 0 ? m : m.substring(0, caused);
    }
    int arrow = message.lastIndexOf(" -> ");
    String last = arrow < 0 ? message : message.substring(arrow + 4);
    int colon = last.indexOf(": ");
    boolean exceptionName = colon > 0 && last.substring(0, colon).matches("[A-Za-z.$]*(Exception|Error)");
    return exceptionName ? last.substring(colon + 2) : last;
  }

  /** The documented JDBC URL of a server's Avatica endpoint (credentials go in properties). */
  static String avaticaUrl(String serverUrl) {
    return "jdbc:avatica:remote:url=" + serverUrl + "/avatica;serialization=protobuf;authentication=BASIC";
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
