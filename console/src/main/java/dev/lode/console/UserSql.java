package dev.lode.console;

import dev.lode.config.Credentials;
import java.sql.SQLException;
import java.util.List;

/**
 * Runs Lode SQL as a signed-in user through the same path the SQL endpoint serves analysts by
 * (the role's schema and masking, the limits, the query audit), so a console page shows a user
 * exactly what their own JDBC connection would.
 */
@FunctionalInterface
public interface UserSql {
  /** Opens a connection as {@code user}, from {@code client} (the address the login back-off and audit see). */
  Connection open(Credentials.User user, String client) throws SQLException;

  /** One user's connection; a page runs all its statements over one. */
  interface Connection extends AutoCloseable {
    /**
     * Runs {@code sql} with {@code parameters} bound to its {@code ?} markers, keeping at most
     * {@code maxRows} rows; {@code keep}: the statement stays prepared on this connection for the
     * next run of the same text (a page's own statements; never a user's ad-hoc SQL).
     */
    SqlResult query(String sql, List<Object> parameters, int maxRows, boolean keep) throws SQLException;

    @Override
    void close();
  }
}
