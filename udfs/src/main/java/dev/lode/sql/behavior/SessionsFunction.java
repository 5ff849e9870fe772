package dev.lode.sql.behavior;

import java.util.List;
import org.apache.calcite.adapter.jdbc.JdbcConvention;
import org.apache.calcite.adapter.jdbc.JdbcSchema;
import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.rel.type.RelDataTypeFactory;
import org.apache.calcite.sql.type.SqlTypeName;

/**
 * {@code sessions(gap_seconds [, from, to])}, and the {@code sessions} table with the
 * configured gap: one row per person session, a session ending where the gap between two
 * consecutive events (ordered by time, then event id) exceeds {@code gap_seconds}.
 */
public final class SessionsFunction extends BehaviorFunction {
  public SessionsFunction(JdbcSchema schema, JdbcConvention convention) {
    super(schema, convention);
  }

  @Override
  public String name() {
    return "sessions";
  }

  @Override
  protected List<Param> params() {
    return List.of(new Param("gap_seconds", SqlTypeName.BIGINT, false),
        new Param("from", SqlTypeName.VARCHAR, true),
        new Param("to", SqlTypeName.VARCHAR, true));
  }

  @Override
  protected String sql(Args a) {
    return sql(a.integer("gap_seconds", 1800, 1, 366L * 86400), a.range());
  }

  static String sql(long gapSeconds, TimeRange range) {
    long gapMs = gapSeconds * 1000;
    return "SELECT person AS person_id, toInt32(sn) AS session_number,"
        + " fromUnixTimestamp64Milli(ev[first].1, 'UTC') AS session_start,"
        + " fromUnixTimestamp64Milli(ev[last].1, 'UTC') AS session_end,"
        + " (ev[last].1 - ev[first].1) / 1000. AS duration_seconds, toInt64(last - first + 1) AS events,"
        + " ev[first].3 AS first_event, ev[last].3 AS last_event, ev[first].4 AS entry_page, ev[last].4 AS exit_page"
        + " FROM (SELECT person, ev, sess, sn, indexOf(sess, sn) AS first, toUInt64(length(sess) - indexOf(arrayReverse(sess), sn) + 1) AS last"
        + " FROM (SELECT person, ev,"
        + " arrayCumSum(arrayMap((x, i) -> toUInt32(i = 1 OR x.1 - ev[i - 1].1 > " + gapMs + "), ev, arrayEnumerate(ev))) AS sess"
        + " FROM (" + PersonKey.events(EventSource.DEFAULT, "(toUnixTimestamp64Milli(event_time), event_id,"
        + " toString(event_name), page)", range) + "))"
        + " ARRAY JOIN arrayDistinct(sess) AS sn)";
  }

  static RelDataType type(RelDataTypeFactory types) {
    return row(types).add("person_id", SqlTypeName.VARCHAR).add("session_number", SqlTypeName.INTEGER)
        .add("session_start", SqlTypeName.TIMESTAMP, 3).add("session_end", SqlTypeName.TIMESTAMP, 3)
        .add("duration_seconds", SqlTypeName.DOUBLE).add("events", SqlTypeName.BIGINT)
        .add("first_event", SqlTypeName.VARCHAR).add("last_event", SqlTypeName.VARCHAR)
        .add("entry_page", SqlTypeName.VARCHAR).add("exit_page", SqlTypeName.VARCHAR).build();
  }

  @Override
  protected RelDataType rowType(RelDataTypeFactory types, Args a) {
    return type(types);
  }

  /** The {@code sessions} table's query with a fixed gap over all events. */
  public static String tableSql(long gapSeconds) {
    return sql(gapSeconds, TimeRange.of(null, null));
  }

  /** The {@code sessions} table's row type. */
  public static RelDataType tableType(RelDataTypeFactory types) {
    return type(types);
  }
}
