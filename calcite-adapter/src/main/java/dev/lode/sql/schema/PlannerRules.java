package dev.lode.sql.schema;

import org.apache.calcite.adapter.enumerable.EnumerableRules;
import org.apache.calcite.rel.rules.CoreRules;
import org.apache.calcite.runtime.Hook;

/**
 * Planner adjustments for ClickHouse: Calcite normally rewrites {@code COUNT(DISTINCT x)} into
 * a GROUP BY over a GROUP BY; ClickHouse answers it directly (and exactly) with
 * {@code uniqExact}, so the rewrite is removed and the distinct aggregate is pushed as is.
 * Merge joins in the JVM and semi-join rewrites (which Calcite cannot express in JDBC SQL) are
 * removed too, so joins of warehouse relations stay in ClickHouse (in the order the statement
 * writes them: join reordering rules are removed),
 * and every plan gets the {@link SessionZoneProgram} pass first (a connection's time zone), then the {@link NestedJoinProgram} pass, so bushy joins can be written as
 * ClickHouse SQL, and the {@link DistinctAliasProgram} pass, so no generated alias hides a column.
 */
final class PlannerRules {
  private static boolean installed;

  private PlannerRules() {
  }

  /** Installs the adjustment into every Calcite planner of this process, once. */
  @SuppressWarnings("deprecation") // a process-wide hook is the point: every SQL connection plans with it
  static synchronized void install() {
    if (installed) {
      return;
    }
    installed = true;
    Hook.PLANNER.add(planner -> {
      var p = (org.apache.calcite.plan.RelOptPlanner) planner;
      p.removeRule(CoreRules.AGGREGATE_EXPAND_DISTINCT_AGGREGATES);
      p.removeRule(CoreRules.AGGREGATE_EXPAND_DISTINCT_AGGREGATES_TO_JOIN);
      // two sorted JDBC queries merged in the JVM can look cheaper than one ClickHouse join
      // with a sort; every Lode table lives in ClickHouse, so joins belong there
      p.removeRule(EnumerableRules.ENUMERABLE_MERGE_JOIN_RULE);
      // a semi-join has no JDBC form in Calcite, so it would fetch its whole right side (all
      // events, say) into the JVM; as the inner join over a distinct input it came from, it
      // runs in ClickHouse
      p.removeRule(CoreRules.PROJECT_TO_SEMI_JOIN);
      p.removeRule(CoreRules.JOIN_ON_UNIQUE_TO_SEMI_JOIN);
      p.removeRule(CoreRules.JOIN_TO_SEMI_JOIN);
      // without table statistics (every JDBC table is estimated at 100 rows) reordering joins
      // is guesswork, and enumerating the orders of five joined tables took seconds per query:
      // joins run in ClickHouse in the order the statement writes them
      p.removeRule(CoreRules.JOIN_COMMUTE);
      p.removeRule(org.apache.calcite.rel.rules.JoinPushThroughJoinRule.LEFT);
      p.removeRule(org.apache.calcite.rel.rules.JoinPushThroughJoinRule.RIGHT);
      p.removeRule(CoreRules.JOIN_ASSOCIATE);
    });
    Hook.PROGRAM.add((java.util.function.Consumer<org.apache.calcite.util.Holder<org.apache.calcite.tools.Program>>)
        holder -> holder.set(org.apache.calcite.tools.Programs.sequence(new SessionZoneProgram(),
            holder.get() != null ? holder.get() : org.apache.calcite.tools.Programs.standard(),
            new NestedJoinProgram(), new DistinctAliasProgram())));
  }
}
