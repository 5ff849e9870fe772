package dev.lode.sql;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lode.config.Credentials;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import org.apache.calcite.runtime.Hook;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Superset's Phoenix grains and filters ({@code TRUNC(CAST(x AS TIMESTAMP), 'UNIT')},
 * {@code TO_DATE(text, pattern)}) and Druid's {@code TIME_PARSE}/{@code TIME_FORMAT} through the
 * Avatica driver, each pushed down in one statement and compared with the same question asked
 * natively of ClickHouse with other functions ({@code toDate}, {@code formatDateTime}, literal times).
 */
class PhoenixDruidTextTimeTest {
  private static Hook.Closeable hook;
  private static final String WHERE = " FROM events WHERE event_name = 'tt_ev'";

  @BeforeAll
  static void data() throws SQLException {
    hook = Native.capture();
    StringBuilder sql = new StringBuilder("INSERT INTO events (event_id, event_time, received_time, distinct_id,"
        + " event_name, source) VALUES ");
    for (int i = 0; i < 50; i++) {
      // every 3,593,117 ms (just under an hour, odd seconds and milliseconds) from Saturday 2011-05-28 21:00
      sql.append(i == 0 ? "" : ", ").append("('tt-").append(i)
          .append("', toDateTime64('2011-05-28 21:00:00', 3, 'UTC') + toIntervalMillisecond(").append(i * 3_593_117L)
          .append(" * 37), now64(3), 'tt-p', 'tt_ev', 'test')");
    }
    try (Connection w = SqlClient.warehouse(); Statement st = w.createStatement()) {
      st.execute(sql.toString());
    }
  }

  @AfterAll
  static void unhook() {
    hook.close();
  }

  /** The messages of {@code e} and its causes: the Avatica client puts the server's reason in a cause. */
  private static String chain(Throwable e) {
    StringBuilder out = new StringBuilder();
    for (Throwable t = e; t != null; t = t.getCause()) {
      out.append(t.getMessage()).append('\n');
      if (t instanceof org.apache.calcite.avatica.AvaticaSqlException a) {
        a.getStackTraces().forEach(trace -> out.append(trace).append('\n'));
      }
    }
    return out.toString();
  }

  @Test
  void phoenixTruncGrains() throws SQLException {
    // Superset's expressions: the fine grains cast back to TIMESTAMP, DAY and coarser to DATE
    Map<String, String> timestamps = Map.of(
        "SECOND", "toStartOfSecond(event_time)",
        "MINUTE", "toDateTime64(toDateTime(intDiv(toUnixTimestamp(event_time), 60) * 60, 'UTC'), 3, 'UTC')",
        "HOUR", "toDateTime64(toDateTime(intDiv(toUnixTimestamp(event_time), 3600) * 3600, 'UTC'), 3, 'UTC')");
    for (var grain : timestamps.entrySet()) {
      String expr = "CAST(TRUNC(CAST(event_time AS TIMESTAMP), '" + grain.getKey() + "') AS TIMESTAMP)";
      Native.same("SELECT " + expr + " AS g, COUNT(*) AS c" + WHERE + " GROUP BY " + expr + " ORDER BY 1",
          "SELECT " + grain.getValue() + " AS g, count() AS c" + WHERE + " GROUP BY g ORDER BY g", "toDateTime64(");
    }
    Map<String, String> dates = Map.of(
        "DAY", "toDate(event_time, 'UTC')",
        "WEEK", "toDate(event_time, 'UTC') - (toDayOfWeek(event_time, 0, 'UTC') - 1)",
        "MONTH", "toDate(concat(toString(toYear(event_time)), '-', leftPad(toString(toMonth(event_time)), 2, '0'), '-01'))",
        "QUARTER", "makeDate(toYear(event_time), (toQuarter(event_time) - 1) * 3 + 1, 1)",
        "YEAR", "makeDate(toYear(event_time), 1, 1)");
    for (var grain : dates.entrySet()) {
      String expr = "CAST(TRUNC(CAST(event_time AS TIMESTAMP), '" + grain.getKey() + "') AS DATE)";
      Native.same("SELECT " + expr + " AS g, COUNT(*) AS c" + WHERE + " GROUP BY " + expr + " ORDER BY 1",
          "SELECT " + grain.getValue() + " AS g, count() AS c" + WHERE + " GROUP BY g ORDER BY g", "toDateTime64(");
    }
    try (Connection c = SqlClient.connect(Credentials.Role.ADMIN); Statement st = c.createStatement()) {
      SQLException e = assertThrows(SQLException.class,
          () -> st.executeQuery("SELECT TRUNC(event_time, 'FORTNIGHT')" + WHERE).close());
      assertTrue(chain(e).contains("TRUNC: unknown unit 'FORTNIGHT'"), chain(e));
      assertNotNull(e.getSQLState(), e.getMessage());
    }
  }

  @Test
  void phoenixToDateFilters() throws SQLException {
    Native.same("SELECT COUNT(*) AS c" + WHERE + " AND event_time >= TO_DATE('2011-05-31', 'yyyy-MM-dd')"
            + " AND event_time < TO_DATE('02.06.2011 13:30', 'dd.MM.yyyy HH:mm')",
        "SELECT count() AS c" + WHERE + " AND event_time >= '2011-05-31 00:00:00' AND event_time < '2011-06-02 13:30:00'",
        "parseDateTime64InJodaSyntax('2011-05-31'");
  }

  @Test
  void druidTimeParse() throws SQLException {
    Native.same("SELECT COUNT(*) AS c" + WHERE + " AND event_time >= TIME_PARSE('2011-05-31T06:00:00Z')"
            + " AND event_time < TIME_PARSE('01/06/2011 22:15', 'dd/MM/yyyy HH:mm', 'Asia/Shanghai')",
        "SELECT count() AS c" + WHERE + " AND event_time >= '2011-05-31 06:00:00' AND event_time < '2011-06-01 14:15:00'",
        "parseDateTime64InJodaSyntaxOrNull(");
    // what Druid parses to, and NULL for text that does not match
    Native.same("SELECT event_id, TIME_PARSE('2011-06-01 08:30', 'yyyy-MM-dd HH:mm') AS t,"
            + " TIME_PARSE('2011-06-01 08:30', 'yyyy-MM-dd HH:mm', 'America/New_York') AS ny,"
            + " TIME_PARSE('June', 'yyyy-MM-dd') AS bad" + WHERE + " AND event_id = 'tt-3'",
        "SELECT event_id, toDateTime64('2011-06-01 08:30:00', 3, 'UTC'), toDateTime64('2011-06-01 12:30:00', 3, 'UTC'),"
            + " NULL" + WHERE + " AND event_id = 'tt-3'", "OrNull('June'");
  }

  @Test
  void druidTimeFormat() throws SQLException {
    Native.same("SELECT event_id, TIME_FORMAT(event_time) AS iso, TIME_FORMAT(event_time, 'yyyy-MM-dd HH:mm') AS utc,"
            + " TIME_FORMAT(event_time, 'dd.MM.yyyy HH:mm:ss', 'Asia/Shanghai') AS shanghai" + WHERE + " ORDER BY event_id",
        "SELECT event_id, concat(formatDateTime(event_time, '%Y-%m-%dT%H:%i:%S', 'UTC'), '.',"
            + " leftPad(toString(toMillisecond(event_time)), 3, '0'), 'Z'), formatDateTime(event_time, '%Y-%m-%d %H:%i', 'UTC'),"
            + " formatDateTime(event_time, '%d.%m.%Y %H:%i:%S', 'Asia/Shanghai')" + WHERE + " ORDER BY event_id",
        "formatDateTimeInJodaSyntax(");
  }

  @Test
  void dateTruncWithABoundUnitIsAClearError() throws SQLException {
    try (Connection c = SqlClient.connect(Credentials.Role.ADMIN);
         PreparedStatement ps = c.prepareStatement("SELECT COUNT(*)" + WHERE + " GROUP BY DATE_TRUNC(?, event_time)")) {
      ps.setString(1, "day");
      ps.executeQuery().close();
      throw new AssertionError("a bound DATE_TRUNC unit ran");
    } catch (SQLException e) {
      assertTrue(chain(e).contains("DATE_TRUNC: the unit (first argument) must be a string literal"), chain(e));
      assertNotNull(e.getSQLState(), e.getMessage());
    }
  }
}
