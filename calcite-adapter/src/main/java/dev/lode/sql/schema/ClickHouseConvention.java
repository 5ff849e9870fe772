package dev.lode.sql.schema;

import org.apache.calcite.adapter.jdbc.JdbcConvention;
import org.apache.calcite.adapter.jdbc.JdbcRules;
import org.apache.calcite.linq4j.tree.Expression;
import org.apache.calcite.plan.Convention;
import org.apache.calcite.plan.RelOptPlanner;
import org.apache.calcite.plan.RelOptRule;
import org.apache.calcite.rel.RelNode;
import org.apache.calcite.rel.convert.ConverterRule;
import org.apache.calcite.rel.core.Join;
import org.apache.calcite.rel.rules.CoreRules;

/**
 * The JDBC convention of one ClickHouse database: Calcite's JDBC rules, except that joins
 * become {@link ClickHouseJoin}s, priced so that a join of warehouse relations runs in
 * ClickHouse rather than as a hash join in the JVM over two fetched inputs.
 */
final class ClickHouseConvention extends JdbcConvention {
  ClickHouseConvention(Expression expression, String name) {
    super(ClickHouseDialect.INSTANCE, expression, name);
  }

  @Override
  public void register(RelOptPlanner planner) {
    for (RelOptRule rule : JdbcRules.rules(this)) {
      if (!(rule instanceof JdbcRules.JdbcJoinRule)) {
        planner.addRule(rule);
      }
    }
    planner.addRule(ConverterRule.Config.INSTANCE
        .withConversion(Join.class, Convention.NONE, this, "ClickHouseJoinRule")
        .withRuleFactory(JoinRule::new)
        .toRule(JoinRule.class));
    // as JdbcConvention registers them
    planner.addRule(CoreRules.FILTER_SET_OP_TRANSPOSE);
    planner.addRule(CoreRules.PROJECT_REMOVE);
  }

  /** Calcite's JDBC join rule, producing {@link ClickHouseJoin}s. */
  static final class JoinRule extends JdbcRules.JdbcJoinRule {
    JoinRule(Config config) {
      super(config);
    }

    @Override
    public RelNode convert(Join join, boolean convertInputTraits) {
      RelNode r = super.convert(join, convertInputTraits);
      return r instanceof JdbcRules.JdbcJoin j ? ClickHouseJoin.of(j) : r;
    }
  }
}
