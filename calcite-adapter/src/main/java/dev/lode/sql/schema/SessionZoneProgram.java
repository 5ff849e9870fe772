package dev.lode.sql.schema;

import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import org.apache.calcite.plan.RelOptLattice;
import org.apache.calcite.plan.RelOptMaterialization;
import org.apache.calcite.plan.RelOptPlanner;
import org.apache.calcite.plan.RelTraitSet;
import org.apache.calcite.rel.RelNode;
import org.apache.calcite.rel.core.TableScan;
import org.apache.calcite.rel.logical.LogicalProject;
import org.apache.calcite.rel.metadata.DefaultRelMetadataProvider;
import org.apache.calcite.rel.type.RelDataTypeField;
import org.apache.calcite.rex.RexBuilder;
import org.apache.calcite.rex.RexNode;
import org.apache.calcite.sql.type.SqlTypeName;
import org.apache.calcite.tools.Program;
import org.apache.calcite.tools.Programs;

/**
 * A pass before planning that, for a session whose {@link SessionZone time zone} is not UTC
 * (a client's {@code sqlTimeZone}), reads every timestamp column of a warehouse table as
 * {@link SessionWallClock wall-clock time in that zone}: literals, bound parameters, time
 * grains, EXTRACT and results then all mean local time, the way Druid defines the setting.
 * Sub-queries are expanded into joins first, so a timestamp inside {@code IN (SELECT …)}
 * is read the same way, and CURRENT_TIMESTAMP is the zone's current wall-clock time. Lode's
 * behavior functions bucket in UTC (their SQL is their own).
 */
final class SessionZoneProgram implements Program {
  @Override
  public RelNode run(RelOptPlanner planner, RelNode rel, RelTraitSet requiredOutputTraits,
                     List<RelOptMaterialization> materializations, List<RelOptLattice> lattices) {
    ZoneId zone = zoneOf(planner);
    if (zone == null) {
      return rel;
    }
    RelNode expanded = Programs.subQuery(DefaultRelMetadataProvider.INSTANCE)
        .run(planner, rel, requiredOutputTraits, materializations, lattices);
    return rewrite(expanded, zone);
  }

  private static RelNode rewrite(RelNode rel, ZoneId zone) {
    if (rel instanceof TableScan scan) {
      return wallClock(scan, zone);
    }
    List<RelNode> inputs = rel.getInputs().stream().map(i -> rewrite(i, zone)).toList();
    RelNode copy = inputs.equals(rel.getInputs()) ? rel : rel.copy(rel.getTraitSet(), inputs);
    return copy.accept(new NowInZone(copy.getCluster().getRexBuilder(), zone, readsTable(copy)));
  }

  private static boolean readsTable(RelNode rel) {
    return rel instanceof TableScan || rel.getInputs().stream().anyMatch(SessionZoneProgram::readsTable);
  }

  /**
   * The current time as the zone's wall clock: over a warehouse table the expression runs in
   * ClickHouse, which shifts {@code now} at execution; without one Calcite evaluates it, shifted
   * by the zone's offset when the statement is planned.
   */
  private static final class NowInZone extends org.apache.calcite.rex.RexShuttle {
    private static final java.util.Set<org.apache.calcite.sql.SqlOperator> NOW = java.util.Set.of(
        org.apache.calcite.sql.fun.SqlStdOperatorTable.CURRENT_TIMESTAMP,
        org.apache.calcite.sql.fun.SqlStdOperatorTable.LOCALTIMESTAMP,
        org.apache.calcite.sql.fun.SqlStdOperatorTable.CURRENT_DATE,
        org.apache.calcite.sql.fun.SqlLibraryOperators.SYSDATE,
        org.apache.calcite.sql.fun.SqlLibraryOperators.SYSTIMESTAMP);
    private final RexBuilder rex;
    private final ZoneId zone;
    private final boolean inClickHouse;

    NowInZone(RexBuilder rex, ZoneId zone, boolean inClickHouse) {
      this.rex = rex;
      this.zone = zone;
      this.inClickHouse = inClickHouse;
    }

    @Override
    public RexNode visitCall(org.apache.calcite.rex.RexCall call) {
      if (!NOW.contains(call.getOperator())) {
        return super.visitCall(call);
      }
      var types = rex.getTypeFactory();
      boolean date = call.getType().getSqlTypeName() == SqlTypeName.DATE;
      RexNode now = date ? rex.makeCall(org.apache.calcite.sql.fun.SqlStdOperatorTable.CURRENT_TIMESTAMP) : call;
      RexNode local;
      if (inClickHouse) {
        local = rex.makeCall(now.getType(), SessionWallClock.INSTANCE, List.of(now, rex.makeLiteral(zone.getId())));
      } else {
        long offsetMillis = zone.getRules().getOffset(Instant.now()).getTotalSeconds() * 1000L;
        local = rex.makeCall(org.apache.calcite.sql.fun.SqlStdOperatorTable.DATETIME_PLUS, now,
            rex.makeIntervalLiteral(java.math.BigDecimal.valueOf(offsetMillis), new org.apache.calcite.sql.SqlIntervalQualifier(
                org.apache.calcite.avatica.util.TimeUnit.SECOND, null, org.apache.calcite.sql.parser.SqlParserPos.ZERO)));
      }
      return date ? rex.makeCast(types.createTypeWithNullability(types.createSqlType(SqlTypeName.DATE),
          call.getType().isNullable()), local) : local;
    }
  }

  /** The session's zone when it is not UTC (null otherwise: nothing to rewrite). */
  static ZoneId zoneOf(RelOptPlanner planner) {
    ZoneId zone = SessionZone.current();
    boolean utc = zone.getRules().isFixedOffset() && zone.getRules().getOffset(Instant.EPOCH).getTotalSeconds() == 0;
    return utc ? null : zone;
  }

  private static RelNode wallClock(TableScan scan, ZoneId zone) {
    List<RelDataTypeField> fields = scan.getRowType().getFieldList();
    if (fields.stream().noneMatch(f -> f.getType().getSqlTypeName() == SqlTypeName.TIMESTAMP)) {
      return scan;
    }
    RexBuilder rex = scan.getCluster().getRexBuilder();
    List<RexNode> exprs = new ArrayList<>(fields.size());
    for (RelDataTypeField f : fields) {
      RexNode ref = rex.makeInputRef(scan, f.getIndex());
      exprs.add(f.getType().getSqlTypeName() != SqlTypeName.TIMESTAMP ? ref
          : rex.makeCall(f.getType(), SessionWallClock.INSTANCE, List.of(ref, rex.makeLiteral(zone.getId()))));
    }
    return LogicalProject.create(scan, List.of(), exprs, scan.getRowType().getFieldNames(), java.util.Set.of());
  }
}
