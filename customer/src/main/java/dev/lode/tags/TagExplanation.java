package dev.lode.tags;

import dev.lode.warehouse.SqlLiteral;
import dev.lode.warehouse.Warehouse;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.util.ArrayList;
import java.util.List;

/**
 * Why a person carries a tag: the value with its provenance, one row per evidence count,
 * and one row per example event joined back to the {@code events} table (so a cited
 * event that no longer exists shows {@code event_found = 0}). A removed value explains
 * its removal and the evidence it had. This is the query behind the SQL table function
 * {@code tag_explain(person, tag)}; the SQL layer runs {@link #sql} as a sub-query.
 */
public final class TagExplanation {
  /** One output column: name, JDBC type, nullable. */
  public record Column(String name, int jdbcType, boolean nullable) {
  }

  /** The columns of {@link #sql}, in order. */
  public static final List<Column> COLUMNS = List.of(
      new Column("person_id", Types.VARCHAR, false),
      new Column("tag_id", Types.VARCHAR, false),
      new Column("tag_version", Types.BIGINT, false),
      new Column("value", Types.VARCHAR, false),
      new Column("score", Types.DOUBLE, false),
      new Column("computed_at", Types.TIMESTAMP, false),
      new Column("status", Types.VARCHAR, false),
      new Column("item", Types.VARCHAR, false),
      new Column("name", Types.VARCHAR, false),
      new Column("amount", Types.DOUBLE, true),
      new Column("event_time", Types.TIMESTAMP, true),
      new Column("event_name", Types.VARCHAR, false),
      new Column("category", Types.VARCHAR, false),
      new Column("dwell_ms", Types.BIGINT, true),
      new Column("event_found", Types.INTEGER, false));

  private TagExplanation() {
  }

  /**
   * The native ClickHouse query explaining {@code tag} for {@code person}: item is
   * {@code value} (name = the value, amount = the score), {@code removed} (name = why),
   * {@code count} (name = the count, amount = its figure) or {@code example_event}
   * (name = the event id, with the event's time, name, category and dwell).
   */
  public static String sql(String person, String tag) {
    if (person == null || person.isEmpty() || tag == null || tag.isEmpty()) {
      throw new IllegalArgumentException("tag_explain needs a person id and a tag id, got person="
          + (person == null ? "NULL" : "'" + person + "'") + ", tag=" + (tag == null ? "NULL" : "'" + tag + "'"));
    }
    String v = "SELECT person_id, tag_id, tag_version, value, score, computed_at,"
        + " if(is_deleted = 1, 'removed', 'current') AS status,"
        + " if(JSONHas(evidence, 'previous'), JSONExtractRaw(evidence, 'previous'), evidence) AS ev,"
        + " JSONExtractString(evidence, 'removed') AS removed"
        + " FROM tag_values FINAL WHERE tag_id = " + SqlLiteral.string(tag) + " AND person_id = " + SqlLiteral.string(person);
    String head = "person_id, tag_id, toInt64(tag_version) AS tag_version, value, score, computed_at, status";
    StringBuilder cols = new StringBuilder();
    for (Column c : COLUMNS) {
      cols.append(cols.isEmpty() ? "" : ", ").append(c.name());
    }
    return "SELECT " + cols + " FROM ("
        + "SELECT " + head + ", 'value' AS item, value AS name, toNullable(score) AS amount,"
        + " CAST(NULL, 'Nullable(DateTime64(3, \\'UTC\\'))') AS event_time, '' AS event_name, '' AS category,"
        + " CAST(NULL, 'Nullable(Int64)') AS dwell_ms, toInt32(1) AS event_found, 0 AS ord FROM (" + v + ")"
        + " UNION ALL SELECT " + head + ", 'removed', removed, CAST(NULL, 'Nullable(Float64)'),"
        + " CAST(NULL, 'Nullable(DateTime64(3, \\'UTC\\'))'), '', '', CAST(NULL, 'Nullable(Int64)'), toInt32(1), 1"
        + " FROM (" + v + ") WHERE status = 'removed'"
        + " UNION ALL SELECT " + head + ", 'count', kv.1, toNullable(kv.2),"
        + " CAST(NULL, 'Nullable(DateTime64(3, \\'UTC\\'))'), '', '', CAST(NULL, 'Nullable(Int64)'), toInt32(1), 2"
        + " FROM (" + v + ") ARRAY JOIN JSONExtractKeysAndValues(ev, 'counts', 'Float64') AS kv"
        + " UNION ALL SELECT x.person_id, x.tag_id, toInt64(x.tag_version), x.value, x.score, x.computed_at, x.status,"
        + " 'example_event', x.event_id, CAST(NULL, 'Nullable(Float64)'), if(e.found = 1, toNullable(e.event_time), NULL),"
        + " e.event_name, toString(e.category), if(e.found = 1, toNullable(toInt64(e.dwell_ms)), NULL),"
        + " toInt32(e.found = 1), 3"
        + " FROM (SELECT *, arrayJoin(JSONExtract(ev, 'examples', 'Array(String)')) AS event_id FROM (" + v + ")) AS x"
        + " LEFT ANY JOIN (SELECT event_id, event_time, event_name, category, dwell_ms, 1 AS found FROM events"
        + " WHERE event_id IN (SELECT arrayJoin(JSONExtract(ev, 'examples', 'Array(String)')) FROM (" + v + ")))"
        + " AS e ON e.event_id = x.event_id"
        + ") ORDER BY ord, name";
  }

  /** One row of an explanation. */
  public record Row(String item, String name, Double amount, String eventTime, String eventName, String category,
                    Long dwellMs, boolean eventFound, String value, double score, int version, String status) {
  }

  /** Runs the explanation; empty when the person never carried the tag. */
  public static List<Row> explain(Warehouse warehouse, String person, String tag) throws SQLException {
    List<Row> out = new ArrayList<>();
    try (Connection c = warehouse.connect(); Statement st = c.createStatement();
         ResultSet rs = st.executeQuery(sql(person, tag))) {
      while (rs.next()) {
        double amount = rs.getDouble("amount");
        Double a = rs.wasNull() ? null : amount;
        long dwell = rs.getLong("dwell_ms");
        Long dw = rs.wasNull() ? null : dwell;
        out.add(new Row(rs.getString("item"), rs.getString("name"), a, rs.getString("event_time"),
            rs.getString("event_name"), rs.getString("category"), dw, rs.getInt("event_found") == 1,
            rs.getString("value"), rs.getDouble("score"), rs.getInt("tag_version"), rs.getString("status")));
      }
    }
    return out;
  }
}
