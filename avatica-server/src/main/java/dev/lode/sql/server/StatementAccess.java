package dev.lode.sql.server;

import dev.lode.config.Credentials;
import java.util.Locale;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.parser.SqlParseException;
import org.apache.calcite.sql.parser.SqlParser;

/**
 * Decides whether a user may run a statement: admins may run anything Calcite accepts;
 * analysts and viewers only queries (SELECT, WITH, VALUES, set operations, EXPLAIN,
 * DESCRIBE), and no recursive query ({@link RecursiveQueries}). The statement is parsed with the connection's own parser settings, so what is
 * checked is what would run.
 */
final class StatementAccess {
  private final SqlParser.Config parser;

  StatementAccess(SqlParser.Config parser) {
    this.parser = parser;
  }

  /** Throws a SecurityException naming the user and the statement kind when it is not allowed. */
  void check(Credentials.User user, String sql) {
    if (user.role() == Credentials.Role.ADMIN) {
      return;
    }
    SqlNode node;
    try {
      node = SqlParser.create(sql, parser).parseStmt();
    } catch (SqlParseException e) {
      return; // Calcite reports the syntax error itself when it prepares the statement
    }
    SqlKind kind = node.getKind();
    if (kind.belongsTo(SqlKind.QUERY) || kind == SqlKind.EXPLAIN || kind == SqlKind.DESCRIBE_TABLE
        || kind == SqlKind.DESCRIBE_SCHEMA) {
      RecursiveQueries.refuse(user, node);
      return;
    }
    throw new SecurityException("user '" + user.name() + "' (role " + user.role().name().toLowerCase(Locale.ROOT)
        + ") is read-only: " + kind.sql.replace('_', ' ') + " statements are refused");
  }
}
