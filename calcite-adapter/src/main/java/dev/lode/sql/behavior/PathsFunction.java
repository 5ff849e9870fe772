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
    // edge s: (names[a + s - 1], names[a + s]) after the anchor, (names[a - s], names[a - s + 1]) before it
    String idx = after ? "a + s" : "a - s";
    String edge = after ? "(s, names[a + s - 1], names[a + s])" : "(s, names[a - s], names[a - s + 1])";
    String inRange = after ? "a + s <= length(names)" : "a - s >= 1";
    String perPerson = "SELECT person, arrayMap(x -> x.3, ev) AS names,"
        + " arrayCumSum(arrayMap((x, i) -> toUInt32(i = 1 OR x.1 - ev[i - 1].1 > " + gapMs + "), ev, arrayEnumerate(ev))) AS sess,"
        + " arrayMap(n -> toUInt32(n = " + ClickHouseLiteral.string(anchor) + "), names) AS f,"
        + " arrayMap((c, x) -> c - x, arrayCumSum(f), f) AS before,"
        + " arrayMap(x -> x.2, arrayFill(x -> x.1 = 1, arrayMap((x, i) -> (toUInt8(i = 1 OR sess[i] != sess[i - 1]), before[i]),"
        + " ev, arrayEnumerate(ev)))) AS base,"
        + " arrayFilter(i -> f[i] = 1 AND before[i] = base[i], arrayEnumerate(f)) AS anchors"
        + " FROM (" + PersonKey.events(aggregateSource(false), "(toUnixTimestamp64Milli(event_time), event_id,"
        + " toString(event_name))", range) + ")";
    return "SELECT toInt32(e.1) AS step, e.2 AS from_event, e.3 AS to_event, toInt64(uniqExact(person)) AS persons,"
        + " persons / any(anchored) AS share"
        + " FROM (SELECT person, names, sess, anchors, countIf(length(anchors) > 0) OVER () AS anchored FROM ("
        + perPerson + "))"
        + " ARRAY JOIN anchors AS a"
        + " ARRAY JOIN arrayFilter(x -> x.1 > 0, arrayMap(s -> if(" + inRange + " AND sess[" + idx + "] = sess[a], "
        + edge + ", (0, '', '')), range(1, " + (depth + 1) + "))) AS e"
        + " GROUP BY e ORDER BY step, persons DESC, from_event, to_event";
  }

  @Override
  protected RelDataType rowType(RelDataTypeFactory types, Args a) {
    return row(types).add("step", SqlTypeName.INTEGER).add("from_event", SqlTypeName.VARCHAR)
        .add("to_event", SqlTypeName.VARCHAR).add("persons", SqlTypeName.BIGINT).add("share", SqlTypeName.DOUBLE).build();
  }
}
