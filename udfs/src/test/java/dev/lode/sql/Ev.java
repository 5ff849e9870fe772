package dev.lode.sql;

import java.sql.Connection;
import java.sql.Statement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.List;

/**
 * One test event: what the tests insert and what the reference computations read.
 *
 * @param person   the id the event was sent under (distinct_id)
 * @param personId the person stamped at ingest, or ''
 */
record Ev(String id, String person, long ts, String name, String country, String page, String personId) {
  static Ev of(String id, String person, long ts, String name) {
    return new Ev(id, person, ts, name, "", "", "");
  }

  /**
   * Inserts events into the warehouse as one VALUES statement over clickhouse-jdbc (a
   * prepared batch naming a subset of columns is sent as RowBinary in table column order,
   * which does not fit a partial column list).
   */
  static void insert(Connection warehouse, List<Ev> events) throws SQLException {
    StringBuilder sql = new StringBuilder("INSERT INTO events (event_id, event_time, received_time, distinct_id,"
        + " event_name, country, page, source, person_id) VALUES ");
    for (int i = 0; i < events.size(); i++) {
      Ev e = events.get(i);
      String ts = quote(TS.format(java.time.LocalDateTime.ofEpochSecond(Math.floorDiv(e.ts(), 1000),
          Math.floorMod(e.ts(), 1000) * 1_000_000, java.time.ZoneOffset.UTC)));
      sql.append(i == 0 ? "" : ", ").append('(').append(quote(e.id())).append(", ").append(ts).append(", ").append(ts)
          .append(", ").append(quote(e.person())).append(", ").append(quote(e.name())).append(", ")
          .append(quote(e.country())).append(", ").append(quote(e.page())).append(", 'test', ")
          .append(quote(e.personId())).append(')');
    }
    try (Statement st = warehouse.createStatement()) {
      st.execute(sql.toString());
    }
  }

  private static final java.time.format.DateTimeFormatter TS =
      java.time.format.DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSS");

  private static String quote(String s) {
    return "'" + s.replace("\\", "\\\\").replace("'", "\\'") + "'";
  }

  /** A Timestamp for epoch millis, as clickhouse-jdbc sends it to a DateTime64(3, 'UTC') column. */
  static Timestamp utc(long millis) {
    return new Timestamp(millis);
  }
}
