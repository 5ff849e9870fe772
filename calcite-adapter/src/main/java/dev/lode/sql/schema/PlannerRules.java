package dev.lode.sql.schema;

import org.apache.calcite.rel.rules.CoreRules;
import org.apache.calcite.runtime.Hook;

/**
 * Planner adjustments for ClickHouse: Calcite normally rewrites {@code COUNT(DISTINCT x)} into
 * a GROUP BY over a GROUP BY; ClickHouse answers it directly (and exactly) with
 * {@code uniqExact}, so the rewrite is removed and the distinct aggregate is pushed as is.
 */
final class PlannerRules {
  private static boolean installed;

  private PlannerRules() {
  }

  /** Installs the adjustment into every Calcite planner of this process, once. */
  static synchronized void install() {
    if (installed) {
      return;
    }
    installed = true;
    Hook.PLANNER.add(planner -> {
      var p = (org.apache.calcite.plan.RelOptPlanner) planner;
      p.removeRule(CoreRules.AGGREGATE_EXPAND_DISTINCT_AGGREGATES);
      p.removeRule(CoreRules.AGGREGATE_EXPAND_DISTINCT_AGGREGATES_TO_JOIN);
    });
  }
}
