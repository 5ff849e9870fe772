package dev.lode.sql.behavior;

import java.util.List;
import org.apache.calcite.adapter.jdbc.JdbcConvention;
import org.apache.calcite.adapter.jdbc.JdbcSchema;
import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.rel.type.RelDataTypeFactory;
import org.apache.calcite.sql.type.SqlTypeName;

/**
 * {@code paths(anchor_event, direction, depth [, from, to, session_gap_seconds])}: the
 * edges of the paths persons took after (or before) an event. A person's events are ordered
 * by time then event id and split into sessions where the gap between consecutive events
 * exceeds the session gap (30 minutes by default). In each session the first anchor event
 * starts a path of up to {@code depth} events in that session; step s is the edge between
 * the (s-1)-th and s-th event from the anchor ('after': anchor → next …; 'before': the s-th
 * event before the anchor → the (s-1)-th). {@code persons} counts distinct persons with the
 * edge, {@code share} divides by the persons who did the anchor event.
 */
public final class PathsFunction extends BehaviorFunction {
  public PathsFunction(JdbcSchema schema, JdbcConvention convention) {
    super(schema, convention);
  }

  /** The function for viewers: rows counted over fewer than {@code minGroupSize} persons are left out. */
  public PathsFunction(JdbcSchema schema, JdbcConvention convention, int minGroupSize) {
    super(schema, convention, minGroupSize);
  }

  @Override
  public String name() {
    return "paths";
  }

  @Override
  protected List<Param> params() {
    return List.of(new Param("anchor_event", SqlTypeName.VARCHAR, false),
        new Param("direction", SqlTypeName.VARCHAR, false),
        new Param("depth", SqlTypeName.INTEGER, false),
        new Param("from", SqlTypeName.VARCHAR, true),
        new Param("to", SqlTypeName.VARCHAR, true),
        new Param("session_gap_seconds", SqlTypeName.BIGINT, true));
  }

  @Override
  protected String sql(Args a) {
    String anchor = a.required("anchor_event");
    EventPredicate.parse(a.where("anchor_event"), anchor); // same name rules as steps
    String direction = a.choice("direction", "after", List.of("after", "before"));
    long depth = a.integer("depth", 0, 1, 50);
    long gapMs = a.integer("session_gap_seconds", 1800, 1, 366L * 86400) * 1000;
    TimeRange range = a.range();
    boolean after = direction.equals("after");
    EventSource source = aggregateSource(false);
    // event names as small codes (1-based positions in the sorted list of names in the range), packed with the
    // time into one Int64 per event, so each person's events are numbers sorted by (time, event id)
    String dict = "(SELECT arraySort(groupUniqArray(toString(event_name))) FROM " + source.events() + " WHERE "
        + range.condition("event_time") + ")";
    String perId = PersonKey.perId(source, "", "groupArray(bitShiftLeft(toInt64(toUnixTimestamp64Milli("
        + "event_time)), 16) + indexOf(names, event_name)) AS ks, groupArray(event_id) AS ids",
        range.condition("event_time")
        + " AND NOT throwIf(length(names) > 65535, 'paths: more than 65535 distinct event names in the range')");
    String persons = "SELECT person, arraySort((k, i) -> (bitShiftRight(k, 16), i), groupArrayArray(ks),"
        + " groupArrayArray(ids)) AS ks FROM (" + PersonKey.resolve(source, perId, "ks, ids") + ") GROUP BY person";
    // per person: codes, session numbers (a new one after a gap), whether each event is the anchor, and the
    // positions of the first anchor of each session — all without lambdas capturing whole arrays
    String perPerson = "SELECT person, arrayMap(k -> toUInt16(bitAnd(k, 65535)), ks) AS codes,"
        + " arrayMap((d, i) -> i = 1 OR d > " + gapMs + ", arrayDifference(arrayMap(k -> bitShiftRight(k, 16), ks)),"
        + " arrayEnumerate(ks)) AS starts,"
        + " arrayCumSum(arrayMap(x -> toUInt32(x), starts)) AS sess,"
        + " arrayMap(c -> toUInt32(c = anchor), codes) AS f,"
        + " arrayMap((c, x) -> c - x, arrayCumSum(f), f) AS before,"
        + " arrayMap(x -> x.2, arrayFill(x -> x.1, arrayMap((st, b) -> (st, b), starts, before))) AS base,"
        + " arrayFilter((i, x, b, b0) -> x = 1 AND b = b0, arrayEnumerate(f), f, before, base) AS anchors"
        + " FROM (" + persons + ")";
    // the edges of the path from anchor a, as (step, from code, to code), cut where the session ends
    String edges = after
        ? "arrayFilter(e -> e.1 > 0, arrayMap((x, y, sy, st) -> if(sy = sess[a], (st, x, y), (0, 0, 0)),"
            + " arraySlice(codes, a, length(arraySlice(codes, a + 1, " + depth + "))), arraySlice(codes, a + 1, " + depth
            + "), arraySlice(sess, a + 1, " + depth + "), range(1, length(arraySlice(codes, a + 1, " + depth + ")) + 1)))"
        : "arrayFilter(e -> e.1 > 0, arrayMap((x, y, sx, st) -> if(sx = sess[a], (st, x, y), (0, 0, 0)),"
            + " arrayReverse(arraySlice(codes, greatest(a - " + depth + ", 1), a - greatest(a - " + depth + ", 1))),"
            + " arrayReverse(arraySlice(codes, greatest(a - " + depth + ", 1) + 1, a - greatest(a - " + depth + ", 1))),"
            + " arrayReverse(arraySlice(sess, greatest(a - " + depth + ", 1), a - greatest(a - " + depth + ", 1))),"
            + " range(1, a - greatest(a - " + depth + ", 1) + 1)))";
    return "WITH " + dict + " AS names, indexOf(names, " + ClickHouseLiteral.string(anchor) + ") AS anchor"
        + " SELECT toInt32(e.1) AS step, names[e.2] AS from_event, names[e.3] AS to_event,"
        + " toInt64(uniqExact(person)) AS persons, persons / any(anchored) AS share"
        + " FROM (SELECT person, codes, sess, anchors, countIf(length(anchors) > 0) OVER () AS anchored FROM ("
        + perPerson + "))"
        + " ARRAY JOIN anchors AS a"
        + " ARRAY JOIN " + edges + " AS e"
        + " GROUP BY e ORDER BY step, persons DESC, from_event, to_event";
  }

  @Override
  protected String floored(String sql, int k) {
    return "SELECT * FROM (" + sql + ") WHERE persons >= " + k + " ORDER BY step, persons DESC, from_event, to_event";
  }

  @Override
  protected RelDataType rowType(RelDataTypeFactory types, Args a) {
    return row(types).add("step", SqlTypeName.INTEGER).add("from_event", SqlTypeName.VARCHAR)
        .add("to_event", SqlTypeName.VARCHAR).add("persons", SqlTypeName.BIGINT).add("share", SqlTypeName.DOUBLE).build();
  }
}
