package dev.lode.app;

import dev.lode.config.Credentials;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Map;
import java.util.Properties;

/**
 * The running Lode server the SQL-layer tests talk to: one per test JVM (the embedded engine
 * allows one data directory per process), on a free port, over the test warehouse's
 * configuration, with a short statement timeout and a small result limit so those limits can
 * be tested.
 */
final class TestServer {

  private TestServer() {
  }

  /** The SQL-layer tests' server: a second one would need a second data directory in this JVM. */
  static LodeServer get() {
    return dev.lode.sql.SqlClient.server();
  }

  /** The documented JDBC URL for a user, without credentials. */
  static String url(String serialization) {
    return "jdbc:avatica:remote:url=" + get().url() + "/avatica;serialization=" + serialization;
  }

  /** A remote JDBC connection through the Avatica driver as the user with this role. */
  static Connection connect(Credentials.Role role) throws SQLException {
    return connect(role, "protobuf", Map.of());
  }

  static Connection connect(Credentials.Role role, String serialization, Map<String, String> extra) throws SQLException {
    Credentials.User u = user(role);
    Properties p = new Properties();
    p.setProperty("authentication", "BASIC");
    p.setProperty("avatica_user", u.name());
    p.setProperty("avatica_password", u.password());
    p.putAll(extra);
    return DriverManager.getConnection(url(serialization), p);
  }

  static Credentials.User user(Credentials.Role role) {
    return get().context().credentials().users().values().stream().filter(u -> u.role() == role).findFirst()
        .orElseThrow();
  }

  /** A direct clickhouse-jdbc connection to the warehouse, for inserting fixtures and native comparisons. */
  static Connection warehouse() throws SQLException {
    return get().context().warehouse().connect();
  }
}
