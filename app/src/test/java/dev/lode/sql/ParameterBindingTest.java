package dev.lode.sql;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lode.config.Credentials;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.util.List;
import java.util.Map;
import org.apache.calcite.runtime.Hook;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Parameters bound through the Avatica driver mean what they say in the pushed-down query: a
 * timestamp compares as a time (not as a number of seconds), a date as a date, and decimals,
 * booleans and NULLs as ClickHouse reads the same literal; each answer equals the same question
 * asked natively of ClickHouse.
 */
class ParameterBindingTest {
  private static Hook.Closeable hook;
  private static final String WHERE = " FROM events WHERE event_name = 'pb_ev'";

  @BeforeAll
  static void data() throws SQLException {
    hook = Native.capture();
    try (Connection w = SqlClient.warehouse(); Statement st = w.createStatement()) {
      st.execute("INSERT INTO events (event_id, event_time, received_time, distinct_id, event_name, quantity, source)"
          + " VALUES ('pb-1', '2011-06-01 10:00:00', now64(3), 'pb', 'pb_ev', 1, 'test'),"
          + " ('pb-2', '2011-06-01 12:00:00', now64(3), 'pb', 'pb_ev', 2, 'test'),"
          + " ('pb-3', '2011-06-02 13:30:00', now64(3), 'pb', 'pb_ev', 3, 'test'),"
          + " ('pb-4', '2011-06-05 23:59:59.500', now64(3), 'pb', 'pb_ev', 5, 'test')");
    }
  }

  @AfterAll
  static void unhook() {
    hook.close();
  }

  private interface Binder {
    void bind(PreparedStatement ps) throws SQLException;
  }

  /** Runs {@code sql} with one bound parameter through Avatica and compares it with {@code nativeSql}. */
  private static List<List<String>> same(Map<String, String> props, String sql, Binder binder, String nativeSql)
      throws SQLException {
    List<List<String>> lode;
    Native.GENERATED.clear(); // Calcite generates the ClickHouse SQL when it prepares
    try (Connection c = SqlClient.connect(Credentials.Role.ANALYST, "/avatica", "protobuf", props);
         PreparedStatement ps = c.prepareStatement(sql)) {
      binder.bind(ps);
      lode = Native.rows(ps);
    }
    List<List<String>> expected = Native.clickhouse(nativeSql);
    assertEquals(expected, lode, sql);
    return lode;
  }

  private static List<List<String>> same(String sql, Binder binder, String nativeSql) throws SQLException {
    return same(Map.of(), sql, binder, nativeSql);
  }

  private static final String AFTER_NOON = "SELECT event_id" + WHERE
      + " AND event_time >= toDateTime64('2011-06-01 12:00:00', 3, 'UTC') ORDER BY event_id";

  /** Metabase's druid-jdbc binds temporal parameters as text, inside DATE_TRUNC too; they mean the UTC times they write. */
  @Test
  void textBoundToATimestampIsThatTime() throws SQLException {
    String sql = "SELECT event_id" + WHERE + " AND DATE_TRUNC('day', event_time) >= ? AND event_time < ? ORDER BY event_id";
    assertEquals(List.of(List.of("pb-3")), same(sql, ps -> {
      ps.setString(1, "2011-06-02 00:00:00.000");
      ps.setString(2, "2011-06-05 23:59:59.400");
    }, "SELECT event_id" + WHERE + " AND toDate(event_time) >= '2011-06-02' AND event_time < toDateTime64("
        + "'2011-06-05 23:59:59.400', 3, 'UTC') ORDER BY event_id"));
    assertEquals(List.of(List.of("pb-2"), List.of("pb-3"), List.of("pb-4")),
        same("SELECT event_id" + WHERE + " AND event_time >= ? ORDER BY event_id", ps -> ps.setString(1, "2011-06-01T12:00:00Z"),
            AFTER_NOON));
    // the week of a text parameter: 2011-06-01 is a Wednesday, its week runs from Monday 30 May
    same("SELECT COUNT(*) AS c" + WHERE + " AND DATE_TRUNC('week', event_time) = DATE_TRUNC('week', ?)",
        ps -> ps.setString(1, "2011-06-01 12:00:00.000"),
        "SELECT count()" + WHERE + " AND toMonday(event_time) = toDate('2011-05-30')");
    try (Connection c = SqlClient.connect(Credentials.Role.ANALYST);
         PreparedStatement ps = c.prepareStatement("SELECT event_id" + WHERE + " AND event_time >= ?")) {
      ps.setString(1, "June the first");
      SQLException e = org.junit.jupiter.api.Assertions.assertThrows(SQLException.class, () -> ps.executeQuery().close());
      StringBuilder chain = new StringBuilder();
      for (Throwable t = e; t != null; t = t.getCause()) {
        chain.append(t instanceof org.apache.calcite.avatica.AvaticaSqlException a ? a.getErrorMessage() : t.getMessage())
            .append('\n');
      }
      assertTrue(chain.toString().contains("parameter 1: 'June the first' is not a timestamp"), chain.toString());
      assertEquals("22023", e.getSQLState(), chain.toString());
    }
  }

  @Test
  void timestampParameterIsATimeNotSeconds() throws SQLException {
    Timestamp noon = Timestamp.valueOf("2011-06-01 12:00:00");
    String sql = "SELECT event_id" + WHERE + " AND event_time >= ? ORDER BY event_id";
    assertEquals(3, same(sql, ps -> ps.setTimestamp(1, noon), AFTER_NOON).size());
    assertTrue(Native.generated().contains("fromUnixTimestamp64Milli(?, 'UTC')"), Native.generated());
    assertEquals(3, same(sql, ps -> ps.setObject(1, noon), AFTER_NOON).size());
    // milliseconds survive: 23:59:59.500 is not before 23:59:59.400
    assertEquals(List.of(List.of("pb-4")), same(sql, ps -> ps.setTimestamp(1, Timestamp.valueOf("2011-06-05 23:59:59.4")),
        "SELECT event_id" + WHERE + " AND event_time >= toDateTime64('2011-06-05 23:59:59.400', 3, 'UTC')"));
  }

  @Test
  void castParameterAsTimestamp() throws SQLException {
    String sql = "SELECT event_id" + WHERE + " AND event_time >= CAST(? AS TIMESTAMP) ORDER BY event_id";
    assertEquals(3, same(sql, ps -> ps.setTimestamp(1, Timestamp.valueOf("2011-06-01 12:00:00")), AFTER_NOON).size());
    List<List<String>> selected = same("SELECT CAST(? AS TIMESTAMP) AS t" + WHERE + " AND event_id = 'pb-1'",
        ps -> ps.setTimestamp(1, Timestamp.valueOf("2011-06-01 12:00:00.250")),
        "SELECT toDateTime64('2011-06-01 12:00:00.250', 3, 'UTC')");
    assertEquals("2011-06-01T12:00:00.250", selected.get(0).get(0));
  }

  @Test
  void dateParameterIsADate() throws SQLException {
    assertEquals(2, same("SELECT event_id" + WHERE + " AND CAST(event_time AS DATE) >= ? ORDER BY event_id",
        ps -> ps.setDate(1, java.sql.Date.valueOf("2011-06-02")),
        "SELECT event_id" + WHERE + " AND toDate(event_time) >= '2011-06-02' ORDER BY event_id").size());
  }

  @Test
  void decimalBooleanAndNullParameters() throws SQLException {
    assertEquals(2, same("SELECT event_id" + WHERE + " AND quantity > ? ORDER BY event_id",
        ps -> ps.setBigDecimal(1, new java.math.BigDecimal("2.5")),
        "SELECT event_id" + WHERE + " AND quantity > 2.5 ORDER BY event_id").size());
    assertEquals(3, same("SELECT event_id" + WHERE + " AND (quantity > 1) = ? ORDER BY event_id",
        ps -> ps.setBoolean(1, true), "SELECT event_id" + WHERE + " AND quantity > 1 ORDER BY event_id").size());
    assertEquals(0, same("SELECT event_id" + WHERE + " AND distinct_id = ? ORDER BY event_id",
        ps -> ps.setNull(1, java.sql.Types.VARCHAR), "SELECT event_id" + WHERE + " AND distinct_id = NULL").size());
  }

  /**
   * A client in another zone: Avatica sends a timestamp as the wall-clock time its calendar (the
   * connection's {@code timeZone}, else the JVM's zone) shows, and Lode reads that wall-clock
   * time as UTC, the zone every warehouse time is stored and shown in — so 12:00 in a Shanghai
   * client means 12:00 as the data shows it.
   */
  @Test
  void clientInShanghaiBindsItsWallClock() throws SQLException {
    Timestamp noonInShanghai = Timestamp.from(java.time.Instant.parse("2011-06-01T04:00:00Z"));
    assertEquals(3, same(Map.of("timeZone", "Asia/Shanghai"), "SELECT event_id" + WHERE + " AND event_time >= ? ORDER BY event_id",
        ps -> ps.setTimestamp(1, noonInShanghai), AFTER_NOON).size());
  }
}
