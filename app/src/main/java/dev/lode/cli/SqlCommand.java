package dev.lode.cli;

import dev.lode.config.Credentials;
import dev.lode.config.LodeConfig;
import dev.lode.warehouse.Warehouse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.Callable;
import org.jline.terminal.Terminal;
import org.jline.terminal.TerminalBuilder;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code bin/lode sql}: runs statements and prints their results, exiting 1 with the error on
 * failure. When {@code bin/lode serve} is up on this data directory the statements go through
 * its Avatica JDBC endpoint as a Lode SQL user ({@code lode.sql.user}, default admin; password
 * from the credentials file) — Lode SQL with the behavior functions, exactly what a BI tool
 * sees. Otherwise, or with {@code --native}, they run as ClickHouse SQL on the warehouse (the
 * running server's, or one opened here).
 */
@Command(name = "sql", mixinStandardHelpOptions = true,
    description = {"Run SQL and print the result. With 'bin/lode serve' running, statements are Lode SQL through"
        + " its JDBC endpoint (what a BI tool sees: the lode schema, funnel, retention, recommend, ...); without a"
        + " server, or with --native, they are ClickHouse SQL run on the warehouse.",
        "The statement comes from the argument, from -f FILE, or from standard input; a script's statements are"
            + " separated by ';' and run in order, stopping at the first error.",
        "With none of these at a terminal it starts a shell: statements end with ';' and may span lines, history"
            + " is kept in the data directory's sql.history, \\q, quit or Ctrl-D leaves."},
    footerHeading = "%nExamples:%n",
    footer = {"  bin/lode sql \"SELECT version()\"",
        "  bin/lode sql --format csv \"SELECT event_name, count(*) AS n FROM events GROUP BY event_name\" > counts.csv",
        "  bin/lode sql -f report.sql --format json",
        "  echo 'SELECT 1' | bin/lode sql",
        "  bin/lode sql                      (the interactive shell)",
        "  bin/lode sql --native \"SELECT toStartOfWeek(event_time) AS week, count() FROM events GROUP BY week\""})
final class SqlCommand implements Callable<Integer> {
  @Parameters(paramLabel = "SQL", arity = "0..1", description = "the statement (or ';'-separated statements)")
  String sql;

  @Option(names = {"-f", "--file"}, paramLabel = "FILE", description = "read the statements from FILE")
  Path file;

  @Option(names = "--format", paramLabel = "FORMAT", description = "table (default), csv, tsv, json or vertical")
  SqlFormat format = SqlFormat.TABLE;

  @Option(names = "--native", description = "send ClickHouse SQL to the warehouse even when a server is running")
  boolean nativeSql;

  @Option(names = "--max-rows", paramLabel = "N", description = "print at most N rows of a result (default"
      + " ${DEFAULT-VALUE})")
  long maxRows = 10_000;

  /** Where a statement runs. */
  enum Mode {
    /** Lode SQL through a running server's Avatica endpoint. */
    LODE,
    /** ClickHouse SQL on the warehouse. */
    NATIVE
  }

  @Override
  public Integer call() throws Exception {
    // no statement given, and a person at a terminal: the interactive shell
    boolean shell = sql == null && file == null && Terminals.interactive();
    List<String> statements = shell ? List.of() : StatementSplitter.split(script());
    if (!shell && statements.isEmpty()) {
      throw new Lode.UsageException("no SQL statement given");
    }
    LodeConfig config = LodeConfig.load();
    Optional<Properties> running = RunFile.read(config);
    if (!shell) {
      DemoState.warnWhileLoading(config);
    }
    if (running.isPresent() && !nativeSql && running.get().getProperty("url") != null) {
      String user = config.get("lode.sql.user", "admin");
      Credentials.User u = Credentials.load(config).users().get(user);
      if (u == null) {
        throw new Lode.UsageException("lode.sql.user=" + user + " is not a user in the credentials file");
      }
      Properties p = new Properties();
      p.setProperty("avatica_user", u.name());
      p.setProperty("avatica_password", u.password());
      // the driver itself, not DriverManager: that loads every driver on the class path first (Calcite's
      // own among them), which cost a statement from a script more than the statement
      try (Connection c = new org.apache.calcite.avatica.remote.Driver().connect(
          cliAvaticaUrl(running.get().getProperty("url")), p)) {
        return shell ? shell(config, c, Mode.LODE, true, "Lode SQL at " + running.get().getProperty("url") + " as "
            + u.name()) : execute(c, statements, Mode.LODE, true);
      }
    }
    if (running.isPresent() && config.get("lode.warehouse.url").isEmpty()) {
      Properties p = new Properties();
      p.setProperty("user", "lode");
      p.setProperty("password", Files.readString(config.dataDir().resolve("engine.password")).trim());
      p.setProperty("database", config.get("lode.warehouse.database", "lode"));
      p.setProperty("compress", "false");
      try (Connection c = new com.clickhouse.jdbc.ClickHouseDriver().connect(running.get().getProperty("warehouse.url"),
          p)) {
        return shell ? shell(config, c, Mode.NATIVE, true, "ClickHouse SQL in the running server's warehouse")
            : execute(c, statements, Mode.NATIVE, true);
      }
    }
    try (Warehouse w = Warehouse.open(config); Connection c = w.connect()) {
      return shell ? shell(config, c, Mode.NATIVE, nativeSql, "ClickHouse SQL on " + config.dataDir()
          + " (no server running: bin/lode serve for Lode SQL)") : execute(c, statements, Mode.NATIVE, nativeSql);
    }
  }

  /** The interactive shell on this terminal, its history under the data directory; exits 0 when the user leaves. */
  private int shell(LodeConfig config, Connection c, Mode mode, boolean chosen, String where) throws Exception {
    Files.createDirectories(config.dataDir());
    try (Terminal terminal = TerminalBuilder.builder().system(true).build()) {
      new SqlShell(terminal, config.dataDir().resolve("sql.history"), where)
          .run(statement -> {
            // a shell outlives a moment: each statement says whether the demo is still landing
            DemoState.warnWhileLoading(config);
            return runOne(c, statement, mode, chosen);
          });
    }
    return 0;
  }

  private String script() throws Exception {
    if (sql != null && file != null) {
      throw new Lode.UsageException("give the SQL as an argument or with -f FILE, not both");
    }
    if (sql != null) {
      return sql;
    }
    if (file != null) {
      if (!Files.isRegularFile(file)) {
        throw new Lode.UsageException(file.toAbsolutePath() + " is not a file");
      }
      return Files.readString(file);
    }
    return new String(System.in.readAllBytes(), StandardCharsets.UTF_8);
  }

  /**
   * Runs the statements in order, stopping at the first error. {@code chosen} tells whether
   * the user could have had the other mode (a server is running, or {@code --native} was asked for).
   */
  private int execute(Connection c, List<String> statements, Mode mode, boolean chosen) {
    for (int i = 0; i < statements.size(); i++) {
      if (i > 0 && format != SqlFormat.CSV && format != SqlFormat.TSV) {
        System.out.println();
      }
      if (!runOne(c, statements.get(i), mode, chosen)) {
        return 1;
      }
    }
    return 0;
  }

  /** Runs one statement and prints its result, or its error (and a hint at the other mode); true when it ran. */
  private boolean runOne(Connection c, String statement, Mode mode, boolean chosen) {
    try (Statement st = c.createStatement()) {
      if (st.execute(statement)) {
        try (ResultSet rs = st.getResultSet()) {
          format.printer().print(ResultRows.of(rs), ResultColumns.of(rs.getMetaData(), mode == Mode.LODE ? statement : null),
              System.out, maxRows);
        }
      } else if (format == SqlFormat.TABLE || format == SqlFormat.VERTICAL) {
        System.out.println("OK" + (st.getUpdateCount() >= 0 ? " (" + st.getUpdateCount() + " rows)" : ""));
      }
      System.out.flush();
      return true;
    } catch (SQLException e) {
      System.out.flush();
      String reason = reason(e.getMessage());
      System.err.println("error: " + reason);
      OtherMode.hint(mode, reason, statement, chosen).ifPresent(h -> System.err.println("hint: " + h));
      System.err.flush();
      return false;
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

  /** The same, over the JDK's HTTP client (the start of a one-statement run). */
  static String cliAvaticaUrl(String serverUrl) {
    return avaticaUrl(serverUrl) + ";httpclient_impl=" + JdkAvaticaClient.class.getName();
  }
}
