package dev.lode.sql.server;

import dev.lode.config.Credentials;
import java.sql.SQLException;
import java.util.List;
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
 * warehouse's tables and functions) are not affected; admins may run either, watched by the
 * statement's deadline at every row such a node passes on.
 */
final class JvmJoins {
  private JvmJoins() {
  }

  /** Planning work, which may throw SQLException. */
  interface Planning<T> {
    T run() throws SQLException;
  }

  /**
   * Runs {@code work}, checking every plan made on this thread meanwhile for {@code user}; an
   * admin's plans are run, with their JVM-side joins and recursions watched ({@link JvmWorkWatch}).
   */
  static <T> T checked(Credentials.User user, Planning<T> work) throws SQLException {
    if (user.role() == Credentials.Role.ADMIN) {
      try (Hook.Closeable hook = Hook.PLAN_BEFORE_IMPLEMENTATION.addThread((RelRoot root) -> watch(root.rel))) {
        return work.run();
      }
    }
    try (Hook.Closeable hook = Hook.PLAN_BEFORE_IMPLEMENTATION.addThread((RelRoot root) -> refuse(user, root.rel))) {
      return work.run();
    }
  }

  /**
   * Puts a {@link JvmWorkWatch} above every input of {@code rel} that is a join, correlation or
   * recursion Calcite runs in the JVM (the plan's root needs none: its rows are fetched under the
   * statement's deadline). The plan is changed in place: the hook sees it just before it is
   * turned into code, and cannot hand back another.
   */
  private static void watch(RelNode rel) {
    List<RelNode> inputs = rel.getInputs();
    for (int i = 0; i < inputs.size(); i++) {
      RelNode input = inputs.get(i);
      watch(input);
      if (isJvmLoop(input) && !(rel instanceof JvmWorkWatch)) {
        rel.replaceInput(i, new JvmWorkWatch(input));
      }
    }
  }

  private static boolean isJvmLoop(RelNode rel) {
    return rel.getConvention() == EnumerableConvention.INSTANCE
        && (rel instanceof Join || rel instanceof Correlate || rel instanceof RepeatUnion);
  }

  private static void refuse(Credentials.User user, RelNode rel) {
    if (isJvmLoop(rel)) {
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
