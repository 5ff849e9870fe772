package dev.lode.bi;

import dev.lode.config.Credentials;
import dev.lode.sql.SqlClient;
import java.sql.Connection;
import java.sql.SQLException;

/**
 * The running test server as a BI tool sees it: its base URL and an analyst's login, and the
 * ClickHouse warehouse behind it, where each answer is asked again natively.
 */
final class LodeEndpoint {
  private LodeEndpoint() {
  }

  /** {@code http://127.0.0.1:PORT}, without a path. */
  static String base() {
    return SqlClient.server().url();
  }

  /** The analyst a BI tool's saved connection logs in as. */
  static Credentials.User analyst() {
    return SqlClient.server().context().credentials().users().values().stream()
        .filter(u -> u.role() == Credentials.Role.ANALYST).findFirst().orElseThrow();
  }

  /** A direct clickhouse-jdbc connection to the warehouse, for fixtures and native answers. */
  static Connection clickhouse() throws SQLException {
    return SqlClient.server().context().warehouse().connect();
  }
}
