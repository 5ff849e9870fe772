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
  /** Runs {@code sql} with {@code parameters} bound to its {@code ?} markers, keeping at most {@code maxRows} rows. */
  SqlResult query(Credentials.User user, String client, String sql, List<Object> parameters, int maxRows)
      throws SQLException;
}
