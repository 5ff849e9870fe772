package dev.lode.sql.server;

import dev.lode.sql.schema.StatementDeadline;
import java.sql.SQLException;
import java.util.List;
import org.apache.calcite.adapter.enumerable.EnumerableRel;
import org.apache.calcite.adapter.enumerable.EnumerableRelImplementor;
import org.apache.calcite.linq4j.AbstractEnumerable;
import org.apache.calcite.linq4j.Enumerable;
import org.apache.calcite.linq4j.Enumerator;
import org.apache.calcite.linq4j.tree.BlockBuilder;
import org.apache.calcite.linq4j.tree.Expression;
import org.apache.calcite.linq4j.tree.Expressions;
import org.apache.calcite.linq4j.tree.Types;
import org.apache.calcite.plan.RelTraitSet;
import org.apache.calcite.rel.RelNode;
import org.apache.calcite.rel.SingleRel;

/**
 * A plan node that passes its input's rows on unchanged and looks at the statement's deadline
 * ({@link StatementDeadline}) at each: put above the joins, correlations and recursions Calcite
 * runs in Lode's JVM for admins, so their rows — which come from buffered inputs, or from the
 * recursion itself, never from a ClickHouse read that would look — stop at the timeout or when
 * the client disconnects. (Analysts and viewers are refused such plans: {@link JvmJoins}.)
 */
public final class JvmWorkWatch extends SingleRel implements EnumerableRel {
  JvmWorkWatch(RelNode input) {
    super(input.getCluster(), input.getTraitSet(), input);
  }

  @Override
  public RelNode copy(RelTraitSet traitSet, List<RelNode> inputs) {
    return new JvmWorkWatch(sole(inputs));
  }

  @Override
  public Result implement(EnumerableRelImplementor implementor, Prefer pref) {
    BlockBuilder builder = new BlockBuilder();
    Result child = implementor.visitChild(this, 0, (EnumerableRel) getInput(), pref);
    Expression rows = builder.append("rows", child.block);
    builder.add(Expressions.return_(null, Expressions.call(
        Types.lookupMethod(JvmWorkWatch.class, "watched", Enumerable.class), rows)));
    return implementor.result(child.physType, builder.toBlock());
  }

  /** {@code rows}, each looked at the calling thread's statement deadline before it is passed on. */
  public static <T> Enumerable<T> watched(Enumerable<T> rows) {
    return new AbstractEnumerable<>() {
      @Override
      public Enumerator<T> enumerator() {
        Enumerator<T> in = rows.enumerator();
        return new Enumerator<>() {
          @Override
          public T current() {
            return in.current();
          }

          @Override
          public boolean moveNext() {
            try {
              StatementDeadline.check();
            } catch (SQLException stopped) {
              throw new IllegalStateException(stopped.getMessage(), stopped);
            }
            return in.moveNext();
          }

          @Override
          public void reset() {
            in.reset();
          }

          @Override
          public void close() {
            in.close();
          }
        };
      }
    };
  }
}
