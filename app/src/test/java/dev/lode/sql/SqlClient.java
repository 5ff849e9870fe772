package dev.lode.sql;

import dev.lode.app.LodeServer;
import dev.lode.config.Credentials;
import dev.lode.config.LodeConfig;
import dev.lode.testing.TestWarehouse;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * The running Lode server the SQL-layer tests talk to — one per test JVM (the embedded engine
 * allows one data directory per process), on a free port, with a short statement timeout
 * and a small result limit so both can be tested — and remote JDBC connections to it
 * through the Avatica driver, exactly as a BI tool makes them.
 */
public final class SqlClient {
  static final int TIMEOUT_SECONDS = 10;
  static final long MAX_ROWS = 5000;
  private static LodeServer server;
  /** The recommender weight the test server is configured with in code (the default is 1.0). */
  static final String BASKET_WEIGHT_KEY = "lode.recommend.weight.basket";
  static final String BASKET_WEIGHT = "1.75";

  private SqlClient() {
  }

  public static synchronized LodeServer server() {
    if (server == null) {
      LodeConfig config = TestWarehouse.config().with("lode.http.port", "0")
          .with("lode.sql.timeout-seconds", Integer.toString(TIMEOUT_SECONDS))
          .with("lode.sql.max-rows", Long.toString(MAX_ROWS))
          .with("lode.reports.output-dir", TestWarehouse.freshDir("reports-out").toString())
          // a setting made in code only, not in any file LodeConfig.load() reads: RecommendSqlTest checks
          // that SQL recommend() runs with the server's configuration
          .with(BASKET_WEIGHT_KEY, BASKET_WEIGHT);
      server = LodeServer.start(config, TestWarehouse.get());
      Runtime.getRuntime().addShutdownHook(new Thread(server::close));
    }
    return server;
  }

  /** The documented JDBC URL, without credentials. */
  static String url(String path, String serialization) {
    return "jdbc:avatica:remote:url=" + server().url() + path + ";serialization=" + serialization;
  }

  static Connection connect(Credentials.Role role) throws SQLException {
    return connect(role, "/avatica", "protobuf", Map.of());
  }

  static Connection connect(Credentials.Role role, String path, String serialization, Map<String, String> extra)
      throws SQLException {
    Credentials.User u = user(role);
    Properties p = new Properties();
    p.setProperty("authentication", "BASIC");
    p.setProperty("avatica_user", u.name());
    p.setProperty("avatica_password", u.password());
    p.putAll(extra);
    return DriverManager.getConnection(url(path, serialization), p);
  }

  static Credentials.User user(Credentials.Role role) {
    return server().context().credentials().users().values().stream().filter(u -> u.role() == role).findFirst()
        .orElseThrow();
  }

  /** A direct clickhouse-jdbc connection to the warehouse, for fixtures. */
  static Connection warehouse() throws SQLException {
    return server().context().warehouse().connect();
  }

  /**
   * Runs a query as an admin and returns its rows as lists of column values (an analyst would
   * see the person ids the behavior tests compare as pseudonyms).
   */
  static List<List<Object>> rows(String sql) throws SQLException {
    try (Connection c = connect(Credentials.Role.ADMIN); Statement st = c.createStatement()) {
      return rows(st, sql);
    }
  }

  static List<List<Object>> rows(Statement st, String sql) throws SQLException {
    List<List<Object>> out = new ArrayList<>();
    try (ResultSet rs = st.executeQuery(sql)) {
      int n = rs.getMetaData().getColumnCount();
      while (rs.next()) {
        List<Object> row = new ArrayList<>();
        for (int i = 1; i <= n; i++) {
          row.add(rs.getObject(i));
        }
        out.add(row);
      }
    }
    return out;
  }
}
