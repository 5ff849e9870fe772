package dev.lode.sql.schema;

import java.util.Set;
import org.apache.calcite.adapter.jdbc.JdbcRules.JdbcJoin;
import org.apache.calcite.plan.RelOptCluster;
import org.apache.calcite.plan.RelTraitSet;
import org.apache.calcite.rel.InvalidRelException;
import org.apache.calcite.rel.RelNode;
import org.apache.calcite.rel.core.CorrelationId;
import org.apache.calcite.rel.core.JoinRelType;
import org.apache.calcite.rex.RexNode;

/**
 * A join that is the right input of another join (a bushy plan such as
 * {@code (events ⋈ persons) ⋈ (orders ⋈ order_lines)}): {@link ClickHouseDialect} lists its
 * columns explicitly instead of {@code SELECT *}, so the sub-query ClickHouse needs around it
 * can give every column a name the outer join can reference.
 */
final class NestedJoin extends ClickHouseJoin {
  NestedJoin(RelOptCluster cluster, RelTraitSet traitSet, RelNode left, RelNode right, RexNode condition,
             Set<CorrelationId> variablesSet, JoinRelType joinType) throws InvalidRelException {
    super(cluster, traitSet, left, right, condition, variablesSet, joinType);
  }

  @Override
  public JdbcJoin copy(RelTraitSet traitSet, RexNode condition, RelNode left, RelNode right, JoinRelType joinType,
                       boolean semiJoinDone) {
    try {
      return new NestedJoin(getCluster(), traitSet, left, right, condition, variablesSet, joinType);
    } catch (InvalidRelException e) {
      throw new AssertionError(e);
    }
  }

  /** {@code join} as a nested join. */
  static NestedJoin of(JdbcJoin join) {
    try {
      return new NestedJoin(join.getCluster(), join.getTraitSet(), join.getLeft(), join.getRight(),
          join.getCondition(), join.getVariablesSet(), join.getJoinType());
    } catch (InvalidRelException e) {
      throw new AssertionError(e);
    }
  }
}
