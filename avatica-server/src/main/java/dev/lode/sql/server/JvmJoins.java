package dev.lode.sql.server;

import dev.lode.config.Credentials;
import java.sql.SQLException;
import java.util.Locale;
import org.apache.calcite.adapter.enumerable.EnumerableConvention;
import org.apache.calcite.rel.RelNode;
import org.apache.calcite.rel.RelRoot;
import org.apache.calcite.rel.core.Correlate;
import org.apache.calcite.rel.core.Join;
import org.apache.calcite.rel.core.RepeatUnion;
import org.apache.calcite.runtime.Hook;

/**
 * Refuses, to analysts and viewers, plans in which Calcite would join (or iterate) inside Lode's
 * JVM rather than in ClickHouse: such a join buffers its inputs and can then compute a quadratic
 * number of rows — with an aggregate above it, without returning one — where neither
 * ClickHouse's {@code max_execution_time} nor the statement deadline the rows read from
 * ClickHouse look at can stop it. Joins Lode pushes down to ClickHouse (every join of the
 * warehouse's tables and functions) are not affected; admins may run either.
 */
final class JvmJoins {
  private JvmJoins() {
  }

  /** Planning work, which may throw SQLException. */
  interface Planning<T> {
    T run() throws SQLException;
  }

  /** Runs {@code work}, checking every plan made on this thread meanwhile for {@code user} (nothing for admins). */
  static <T> T checked(Credentials.User user, Planning<T> work) throws SQLException {
    if (user.role() == Credentials.Role.ADMIN) {
      return work.run();
    }
    try (Hook.Closeable hook = Hook.PLAN_BEFORE_IMPLEMENTATION.addThread((RelRoot root) -> refuse(user, root.rel))) {
      return work.run();
    }
  }

  private static void refuse(Credentials.User user, RelNode rel) {
    if (rel.getConvention() == EnumerableConvention.INSTANCE
        && (rel instanceof Join || rel instanceof Correlate || rel instanceof RepeatUnion)) {
      throw new SecurityException("user '" + user.name() + "' (role " + user.role().name().toLowerCase(Locale.ROOT)
          + ") may not run this query: Calcite would " + (rel instanceof RepeatUnion ? "iterate" : "join")
          + " in Lode's own JVM (" + rel.getRelTypeName() + "), outside the statement timeout; join tables and"
          + " functions of the warehouse (which ClickHouse joins), or ask an admin to run it");
    }
    for (RelNode input : rel.getInputs()) {
      refuse(user, input);
    }
  }
}
