package dev.lode.sql.schema;

import java.util.Set;
import org.apache.calcite.adapter.jdbc.JdbcRules.JdbcJoin;
import org.apache.calcite.plan.RelOptCluster;
import org.apache.calcite.plan.RelOptCost;
import org.apache.calcite.plan.RelOptPlanner;
import org.apache.calcite.plan.RelTraitSet;
import org.apache.calcite.rel.InvalidRelException;
import org.apache.calcite.rel.RelNode;
import org.apache.calcite.rel.core.CorrelationId;
import org.apache.calcite.rel.core.JoinRelType;
import org.apache.calcite.rel.metadata.RelMetadataQuery;
import org.apache.calcite.rex.RexNode;

/**
 * A join run inside ClickHouse. Calcite prices a JDBC join by its estimated output rows,
 * which for several joined tables (estimated without statistics) exceeds the price of
 * fetching the inputs and hash-joining them in the JVM — so it split 4+-table joins into
 * separate queries joined in the JVM. A join in the engine never ships its inputs, so it is
 * priced at a hundredth of that.
 */
class ClickHouseJoin extends JdbcJoin {
  ClickHouseJoin(RelOptCluster cluster, RelTraitSet traitSet, RelNode left, RelNode right, RexNode condition,
                 Set<CorrelationId> variablesSet, JoinRelType joinType) throws InvalidRelException {
    super(cluster, traitSet, left, right, condition, variablesSet, joinType);
  }

  @Override
  public RelOptCost computeSelfCost(RelOptPlanner planner, RelMetadataQuery mq) {
    RelOptCost cost = super.computeSelfCost(planner, mq);
    return cost == null ? null : cost.multiplyBy(0.01);
  }

  @Override
  public JdbcJoin copy(RelTraitSet traitSet, RexNode condition, RelNode left, RelNode right, JoinRelType joinType,
                       boolean semiJoinDone) {
    try {
      return new ClickHouseJoin(getCluster(), traitSet, left, right, condition, variablesSet, joinType);
    } catch (InvalidRelException e) {
      throw new AssertionError(e);
    }
  }

  static ClickHouseJoin of(JdbcJoin join) {
    try {
      return new ClickHouseJoin(join.getCluster(), join.getTraitSet(), join.getLeft(), join.getRight(),
          join.getCondition(), join.getVariablesSet(), join.getJoinType());
    } catch (InvalidRelException e) {
      throw new AssertionError(e);
    }
  }
}
