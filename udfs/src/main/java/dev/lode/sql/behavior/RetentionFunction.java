package dev.lode.sql.behavior;

import java.util.List;
import org.apache.calcite.adapter.jdbc.JdbcConvention;
import org.apache.calcite.adapter.jdbc.JdbcSchema;
import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.rel.type.RelDataTypeFactory;
import org.apache.calcite.sql.type.SqlTypeName;

/**
 * {@code retention(start_event, return_event, period, periods [, mode, from, to, breakdown])}:
 * cohort × period counts and rates. A person's cohort is the day, ISO week (Monday) or month
 * (UTC) of their first start event in {@code [from, to)} ('first_time' mode, the default),
 * or of every period in which they did the start event ('recurring'). They returned in
 * period n (0…periods) when a return event happened at or after the cohort's first start
 * event and n periods after its period; return events are not bounded by {@code to}.
 */
public final class RetentionFunction extends BehaviorFunction {
  public RetentionFunction(JdbcSchema schema, JdbcConvention convention) {
    super(schema, convention);
  }

  /** The function for viewers: rows counted over fewer than {@code minGroupSize} persons are left out. */
  public RetentionFunction(JdbcSchema schema, JdbcConvention convention, int minGroupSize) {
    super(schema, convention, minGroupSize);
  }

  @Override
  public String name() {
    return "retention";
  }

  @Override
  protected List<Param> params() {
    return List.of(new Param("start_event", SqlTypeName.VARCHAR, false),
        new Param("return_event", SqlTypeName.VARCHAR, false),
        new Param("period", SqlTypeName.VARCHAR, false),
        new Param("periods", SqlTypeName.INTEGER, false),
        new Param("mode", SqlTypeName.VARCHAR, true),
        new Param("from", SqlTypeName.VARCHAR, true),
        new Param("to", SqlTypeName.VARCHAR, true),
        new Param("breakdown", SqlTypeName.VARCHAR, true));
  }

  @Override
  protected String sql(Args a) {
    EventPredicate start = EventPredicate.parse(a.where("start_event"), a.required("start_event"));
    EventPredicate ret = EventPredicate.parse(a.where("return_event"), a.required("return_event"));
    String period = a.choice("period", null, List.of("day", "week", "month"));
    long periods = a.integer("periods", 0, 0, 1000);
    String mode = a.choice("mode", "first_time", List.of("first_time", "recurring"));
    TimeRange range = a.range();
    String bdArg = a.string("breakdown", null);
    checkViewerFields(a, "start_event", List.of(start));
    checkViewerFields(a, "return_event", List.of(ret));
    checkViewerField(a, "breakdown", bdArg);
    String bd = bdArg == null ? "''" : EventField.expression(a.where("breakdown"), bdArg);
    String num = switch (period) {
      case "day" -> "toRelativeDayNum";
      case "week" -> "toRelativeWeekNum";
      default -> "toRelativeMonthNum";
    };
    String startOf = switch (period) {
      case "day" -> "toDate";
      case "week" -> "toMonday";
      default -> "toStartOfMonth";
    };
    String isStart = "(" + start.sql() + " AND " + range.upper("event_time") + ")";
    EventSource source = aggregateSource(start.personal() || ret.personal() || bdArg != null && EventField.personal(bdArg));
    // start events carry their breakdown value only when there is one (arrays of tuples with strings cost more)
    boolean grouped = bdArg != null;
    String startValue = grouped ? "(event_time, " + bd + ")" : "event_time";
    String time = grouped ? "x.1" : "x";
    String perId = PersonKey.perId(source, "", "groupArrayIf(" + startValue + ", " + isStart + ") AS starts,"
        + " groupArrayIf(event_time, " + ret.sql() + ") AS rts",
        range.lower("event_time") + " AND (" + isStart + " OR " + ret.sql() + ")");
    String base = "SELECT person, groupArrayArray(starts) AS starts, groupArrayArray(rts) AS rts FROM ("
        + PersonKey.resolve(source, perId, "starts, rts") + ") GROUP BY person HAVING length(starts) > 0";
    // the cohort's first start: the smallest (time, breakdown value)
    String first = grouped ? "arrayMin(%s)" : "tuple(arrayMin(%s), '')";
    String cohorts = mode.equals("first_time")
        ? "SELECT person, " + String.format(first, "starts") + " AS st, rts FROM (" + base + ")"
        : "SELECT person, " + String.format(first, "arrayFilter(x -> " + num + "(" + time + ") = cp, starts)")
            + " AS st, rts FROM (" + base + ") ARRAY JOIN arrayDistinct(arrayMap(x -> " + num + "(" + time
            + "), starts)) AS cp";
    String perCohort = "SELECT person, " + startOf + "(st.1) AS cohort, st.2 AS b,"
        + " arrayDistinct(arrayFilter(n -> n <= " + periods + ", arrayMap(t -> toInt64(" + num + "(t)) - toInt64(" + num
        + "(st.1)), arrayFilter(t -> t >= st.1, rts)))) AS ns FROM (" + cohorts + ")";
    return "SELECT cohort AS cohort_start, breakdown, toInt32(n) AS period_number, toInt64(cohort_persons) AS cohort_persons,"
        + " toInt64(returned[n + 1]) AS returned_persons, returned[n + 1] / cohort_persons AS rate"
        + " FROM (SELECT cohort, " + (grouped ? "b" : "''") + " AS breakdown, count() AS cohort_persons,"
        + " sumForEach(arrayMap(n -> toUInt64(has(ns, n)), range(0, " + (periods + 1) + "))) AS returned"
        + " FROM (" + perCohort + ") GROUP BY cohort, breakdown)"
        + " ARRAY JOIN range(0, " + (periods + 1) + ") AS n ORDER BY cohort_start, breakdown, period_number";
  }

  @Override
  protected String floored(String sql, int k) {
    return "SELECT * FROM (" + sql + ") WHERE cohort_persons >= " + k + " AND (returned_persons = 0 OR returned_persons >= "
        + k + ") ORDER BY cohort_start, breakdown, period_number";
  }

  @Override
  protected RelDataType rowType(RelDataTypeFactory types, Args a) {
    return row(types).add("cohort_start", SqlTypeName.DATE).add("breakdown", SqlTypeName.VARCHAR)
        .add("period_number", SqlTypeName.INTEGER).add("cohort_persons", SqlTypeName.BIGINT)
        .add("returned_persons", SqlTypeName.BIGINT).add("rate", SqlTypeName.DOUBLE).build();
  }
}
