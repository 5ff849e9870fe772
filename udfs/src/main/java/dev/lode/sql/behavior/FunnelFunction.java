package dev.lode.sql.behavior;

import java.util.List;
import java.util.stream.IntStream;
import java.util.stream.Collectors;
import org.apache.calcite.adapter.jdbc.JdbcConvention;
import org.apache.calcite.adapter.jdbc.JdbcSchema;
import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.rel.type.RelDataTypeFactory;
import org.apache.calcite.sql.type.SqlTypeName;

/**
 * {@code funnel(steps, window_seconds [, mode, from, to, breakdown])}: one row per step (and
 * breakdown value) with the persons who reached it, conversion from the previous and the
 * first step, and the median and 90th percentile of seconds from the previous step. The
 * percentiles are the element at index {@code floor(q * n)} of the n sorted durations.
 * See {@link FunnelQuery} for the exact definition.
 */
public final class FunnelFunction extends BehaviorFunction {
  static final List<String> MODES = List.of("ordered", "strict", "unordered", "window_funnel");

  public FunnelFunction(JdbcSchema schema, JdbcConvention convention) {
    super(schema, convention);
  }

  /** The function for viewers: rows counted over fewer than {@code minGroupSize} persons are left out. */
  public FunnelFunction(JdbcSchema schema, JdbcConvention convention, int minGroupSize) {
    super(schema, convention, minGroupSize);
  }

  @Override
  public String name() {
    return "funnel";
  }

  @Override
  protected List<Param> params() {
    return List.of(new Param("steps", SqlTypeName.VARCHAR, false),
        new Param("window_seconds", SqlTypeName.BIGINT, false),
        new Param("mode", SqlTypeName.VARCHAR, true),
        new Param("from", SqlTypeName.VARCHAR, true),
        new Param("to", SqlTypeName.VARCHAR, true),
        new Param("breakdown", SqlTypeName.VARCHAR, true));
  }

  /** The call's funnel, reading events from {@code source} (or from the one {@link #aggregateSource} picks). */
  FunnelQuery query(Args a, EventSource source) {
    List<EventPredicate> steps = EventPredicate.parseSteps(a.where("steps"), a.required("steps"));
    long window = a.integer("window_seconds", 0, 1, 366L * 86400);
    String mode = a.choice("mode", "ordered", MODES);
    String bd = a.string("breakdown", null);
    checkViewerFields(a, "steps", steps);
    checkViewerField(a, "breakdown", bd);
    String bdSql = bd == null ? null : EventField.expression(a.where("breakdown"), bd);
    if (source == null) {
      boolean personal = steps.stream().anyMatch(EventPredicate::personal) || bd != null && EventField.personal(bd);
      source = aggregateSource(personal);
    }
    return new FunnelQuery(steps, window, mode, a.range(), bdSql, source);
  }

  @Override
  protected String sql(Args a) {
    FunnelQuery q = query(a, null);
    int k = q.steps.size();
    String names = labels(q).stream().map(ClickHouseLiteral::string).collect(Collectors.joining(", ", "[", "]"));
    boolean grouped = q.breakdown != null;
    // quantilesExact(q) is the element at index floor(q * n) of the n sorted values: the documented percentile
    boolean timed = !q.mode.equals("unordered");
    String quantile = "if(step = 1 OR counts[step] = 0, NULL, qs[step - 1][%d])";
    return "SELECT toInt32(step) AS step, " + names + "[step] AS step_name, breakdown,"
        + " toInt64(counts[step]) AS persons,"
        + " if(step = 1, if(counts[1] = 0, NULL, 1.), if(counts[step - 1] = 0, NULL, counts[step] / counts[step - 1]))"
        + " AS conversion_from_previous,"
        + " if(counts[1] = 0, NULL, counts[step] / counts[1]) AS conversion_from_first,"
        + " " + (timed ? String.format(quantile, 1) : "CAST(NULL, 'Nullable(Float64)')") + " AS median_seconds_from_previous,"
        + " " + (timed ? String.format(quantile, 2) : "CAST(NULL, 'Nullable(Float64)')") + " AS p90_seconds_from_previous"
        + " FROM (SELECT " + (grouped ? "b" : "''") + " AS breakdown,"
        + " sumForEach(arrayMap(j -> toUInt64(level >= j), range(1, " + (k + 1) + "))) AS counts"
        + (timed ? ", quantilesExactIfForEach(0.5, 0.9)(durs, arrayMap(d -> d >= 0, durs)) AS qs" : "")
        + " FROM (" + q.perPerson() + ")" + (grouped ? " GROUP BY b" : "") + ")"
        + " ARRAY JOIN range(1, " + (k + 1) + ") AS step ORDER BY breakdown, step";
  }

  /**
   * The step names of the rows: the steps' own, except in unordered mode, where row L counts
   * the persons who did any L of the k steps (in any order) and is labelled so.
   */
  static List<String> labels(FunnelQuery q) {
    int k = q.steps.size();
    if (!q.mode.equals("unordered") || k == 1) {
      return q.steps.stream().map(EventPredicate::label).toList();
    }
    return IntStream.rangeClosed(1, k)
        .mapToObj(l -> l == k ? "all " + k + " steps" : "any " + l + " of " + k + " steps").toList();
  }

  @Override
  protected String floored(String sql, int k) {
    return "SELECT * FROM (" + sql + ") WHERE persons = 0 OR persons >= " + k + " ORDER BY breakdown, step";
  }

  @Override
  protected RelDataType rowType(RelDataTypeFactory types, Args a) {
    return row(types).add("step", SqlTypeName.INTEGER).add("step_name", SqlTypeName.VARCHAR)
        .add("breakdown", SqlTypeName.VARCHAR).add("persons", SqlTypeName.BIGINT)
        .add("conversion_from_previous", SqlTypeName.DOUBLE).nullable(true)
        .add("conversion_from_first", SqlTypeName.DOUBLE).nullable(true)
        .add("median_seconds_from_previous", SqlTypeName.DOUBLE).nullable(true)
        .add("p90_seconds_from_previous", SqlTypeName.DOUBLE).nullable(true)
        .build();
  }
}
