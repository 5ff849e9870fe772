package dev.lode.sql.server;

import dev.lode.config.Credentials;
import java.util.Locale;
import org.apache.calcite.sql.SqlCall;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.SqlNodeList;
import org.apache.calcite.sql.SqlWithItem;
import org.apache.calcite.sql.util.SqlBasicVisitor;

/**
 * Refuses {@code WITH RECURSIVE} to analysts and viewers: Calcite iterates a recursive query
 * inside Lode's JVM, where ClickHouse's {@code max_execution_time} does not reach and an
 * aggregate over it ({@code count(*)} of two billion generated rows) returns no row the
 * statement deadline could be checked between — so one statement could hold a CPU for
 * minutes, past the client's disconnect.
 */
final class RecursiveQueries {
  private RecursiveQueries() {
  }

  /** Throws a SecurityException naming the user when {@code query} has a recursive WITH item. */
  static void refuse(Credentials.User user, SqlNode query) {
    boolean recursive = Boolean.TRUE.equals(query.accept(new SqlBasicVisitor<Boolean>() {
      @Override
      public Boolean visit(SqlCall call) {
        if (call.getKind() == SqlKind.WITH_ITEM && ((SqlWithItem) call).recursive != null
            && ((SqlWithItem) call).recursive.booleanValue()) {
          return true;
        }
        for (SqlNode operand : call.getOperandList()) {
          if (operand != null && Boolean.TRUE.equals(operand.accept(this))) {
            return true;
          }
        }
        return false;
      }

      @Override
      public Boolean visit(SqlNodeList list) {
        for (SqlNode node : list) {
          if (node != null && Boolean.TRUE.equals(node.accept(this))) {
            return true;
          }
        }
        return false;
      }
    }));
    if (recursive) {
      throw new SecurityException("user '" + user.name() + "' (role " + user.role().name().toLowerCase(Locale.ROOT)
          + ") may not run recursive queries (WITH RECURSIVE): Lode would iterate them in its own JVM, outside"
          + " the statement timeout; write the query without recursion, or ask an admin to run it");
    }
  }
}
