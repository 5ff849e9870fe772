package dev.lode.sql.behavior;

import java.util.List;
import org.apache.calcite.adapter.jdbc.JdbcConvention;
import org.apache.calcite.adapter.jdbc.JdbcSchema;
import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.rel.type.RelDataTypeFactory;
import org.apache.calcite.sql.type.SqlTypeName;

/**
 * {@code event_trends(event, interval [, from, to, breakdown])}: events and distinct persons
 * per hour, day, week (Monday) or month bucket (UTC); without a breakdown and with both
 * bounds given, empty buckets appear with zeros.
 */
public final class EventTrendsFunction extends BehaviorFunction {
  public EventTrendsFunction(JdbcSchema schema, JdbcConvention convention) {
    super(schema, convention);
  }

  /** The function for viewers: rows counted over fewer than {@code minGroupSize} persons are left out. */
  public EventTrendsFunction(JdbcSchema schema, JdbcConvention convention, int minGroupSize) {
    super(schema, convention, minGroupSize);
  }

  @Override
  public String name() {
    return "event_trends";
  }

  @Override
  protected List<Param> params() {
    return List.of(new Param("event", SqlTypeName.VARCHAR, false),
        new Param("interval", SqlTypeName.VARCHAR, false),
        new Param("from", SqlTypeName.VARCHAR, true),
        new Param("to", SqlTypeName.VARCHAR, true),
        new Param("breakdown", SqlTypeName.VARCHAR, true));
  }

  @Override
  protected String sql(Args a) {
    EventPredicate event = EventPredicate.parse(a.where("event"), a.required("event"));
    String interval = a.choice("interval", null, List.of("hour", "day", "week", "month"));
    TimeRange range = a.range();
    String bdArg = a.string("breakdown", null);
    checkViewerFields(a, "event", List.of(event));
    checkViewerField(a, "breakdown", bdArg);
    String bd = bdArg == null ? "''" : EventField.expression(a.where("breakdown"), bdArg);
    String bucket = switch (interval) {
      case "hour" -> "toStartOfHour(event_time)";
      case "day" -> "toStartOfDay(event_time)";
      case "week" -> "toDateTime(toMonday(event_time), 'UTC')";
      default -> "toDateTime(toStartOfMonth(event_time), 'UTC')";
    };
    String unit = interval.toUpperCase(java.util.Locale.ROOT);
    String fill = "";
    if (bdArg == null && range.from() != null && range.to() != null) {
      String lo = bucket.replace("event_time", TimeRange.literal(range.from()));
      fill = " WITH FILL FROM toDateTime64(" + lo + ", 3, 'UTC') TO " + TimeRange.literal(range.to())
          + " STEP INTERVAL 1 " + unit;
    }
    EventSource source = aggregateSource(event.personal() || bdArg != null && EventField.personal(bdArg));
    // grouped by id among others: shard-local on a cluster, like every per-id stage
    String perId = source.perId(ev -> "SELECT toDateTime64(" + bucket + ", 3, 'UTC') AS bucket, " + bd + " AS breakdown, "
        + PersonKey.ID_COLUMNS + ", count() AS n FROM " + ev + " WHERE " + event.sql() + " AND "
        + range.condition("event_time") + " GROUP BY bucket, breakdown, id");
    return "SELECT bucket, breakdown, toInt64(sum(n)) AS events, toInt64(uniqExact(person)) AS persons FROM ("
        + PersonKey.resolve(source, perId, "bucket, breakdown, n") + ")"
        + " GROUP BY bucket, breakdown ORDER BY bucket" + fill + ", breakdown";
  }

  @Override
  protected String floored(String sql, int k) {
    return "SELECT * FROM (" + sql + ") WHERE persons = 0 OR persons >= " + k + " ORDER BY bucket, breakdown";
  }

  @Override
  protected RelDataType rowType(RelDataTypeFactory types, Args a) {
    return row(types).add("bucket", SqlTypeName.TIMESTAMP, 3).add("breakdown", SqlTypeName.VARCHAR)
        .add("events", SqlTypeName.BIGINT).add("persons", SqlTypeName.BIGINT).build();
  }
}
