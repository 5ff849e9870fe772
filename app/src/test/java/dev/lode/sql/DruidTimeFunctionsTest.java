package dev.lode.sql;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lode.config.Credentials;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.DayOfWeek;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.temporal.IsoFields;
import java.time.temporal.TemporalAdjusters;
import java.util.ArrayList;
import java.util.List;
import org.apache.calcite.runtime.Hook;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The time functions BI tools emit for Phoenix and Druid — {@code TO_TIMESTAMP} with a Java
 * pattern, {@code TIME_FLOOR}, {@code TIME_SHIFT}, {@code TIME_EXTRACT},
 * {@code MILLIS_TO_TIMESTAMP}, {@code TIMESTAMP_TO_MILLIS} — run inside ClickHouse (the generated
 * SQL is asserted) and answer what ClickHouse's own functions or java.time answer.
 */
class DruidTimeFunctionsTest {
  private static Hook.Closeable hook;
  private static final String WHERE = " FROM events WHERE event_name = 'dt_ev'";
  private static final List<LocalDateTime> TIMES = List.of(LocalDateTime.parse("2011-06-01T10:00:00"),
      LocalDateTime.parse("2011-06-01T12:07:00"), LocalDateTime.parse("2011-06-05T13:30:15"),
      LocalDateTime.parse("2011-12-31T23:59:59.500"));

  @BeforeAll
  static void data() throws SQLException {
    hook = Native.capture();
    StringBuilder sql = new StringBuilder("INSERT INTO events (event_id, event_time, received_time, distinct_id,"
        + " event_name, source) VALUES ");
    for (int i = 0; i < TIMES.size(); i++) {
      sql.append(i == 0 ? "" : ", ").append("('dt-").append(i).append("', '")
          .append(TIMES.get(i).toString().replace('T', ' ')).append("', now64(3), 'dt', 'dt_ev', 'test')");
    }
    try (Connection w = SqlClient.warehouse(); Statement st = w.createStatement()) {
      st.execute(sql.toString());
    }
  }

  @AfterAll
  static void unhook() {
    hook.close();
  }

  /** Rows through Avatica; asserts they ran as one ClickHouse statement containing {@code pushed}. */
  private static List<List<String>> lode(String sql, String pushed) throws SQLException {
    Native.GENERATED.clear();
    List<List<String>> rows;
    try (Connection c = SqlClient.connect(Credentials.Role.ANALYST); PreparedStatement ps = c.prepareStatement(sql)) {
      rows = Native.rows(ps);
    }
    assertTrue(Native.generated().contains(pushed), pushed + " not in " + Native.generated());
    return rows;
  }

  private static List<List<String>> column(List<String> values) {
    List<List<String>> out = new ArrayList<>();
    values.forEach(v -> out.add(List.of(v)));
    return out;
  }

  @Test
  void toTimestampWithJavaPattern() throws SQLException {
    assertEquals(column(List.of("2011-06-01T00:00")), lode("SELECT TO_TIMESTAMP('2011-06-01 00:00:00',"
        + " 'yyyy-MM-dd HH:mm:ss') AS t" + WHERE + " AND event_id = 'dt-0'", "parseDateTime64InJodaSyntax("));
    List<List<String>> later = lode("SELECT event_id" + WHERE
        + " AND event_time >= TO_TIMESTAMP('2011-06-01 12:00:00', 'yyyy-MM-dd HH:mm:ss') ORDER BY event_id",
        "parseDateTime64InJodaSyntax(");
    assertEquals(Native.clickhouse("SELECT event_id" + WHERE + " AND event_time >= '2011-06-01 12:00:00' ORDER BY event_id"),
        later);
    assertEquals(3, later.size());
  }

  @Test
  void timeFloorEveryPeriod() throws SQLException {
    String[][] periods = {{"PT1M", "toStartOfMinute(event_time)"}, {"PT1H", "toStartOfHour(event_time)"},
        {"P1D", "toStartOfDay(event_time)"}, {"P1W", "toDateTime(toMonday(event_time), 'UTC')"},
        {"P1M", "toDateTime(toStartOfMonth(event_time), 'UTC')"},
        {"P3M", "toDateTime(toStartOfQuarter(event_time), 'UTC')"},
        {"P1Y", "toDateTime(toStartOfYear(event_time), 'UTC')"}, {"PT15M", "toStartOfFifteenMinutes(event_time)"}};
    for (String[] p : periods) {
      List<List<String>> rows = lode("SELECT TIME_FLOOR(event_time, '" + p[0] + "') AS t, COUNT(*) AS c" + WHERE
          + " GROUP BY TIME_FLOOR(event_time, '" + p[0] + "') ORDER BY 1", "toStartOfInterval(");
      assertEquals(Native.clickhouse("SELECT " + p[1] + " AS t, count() AS c" + WHERE + " GROUP BY t ORDER BY t"), rows,
          p[0]);
    }
  }

  /** Metabase's Druid week starts on Sunday: shift a day forward, floor to the (Monday) week, shift back. */
  @Test
  void sundayWeeksFromShiftAndFloor() throws SQLException {
    List<List<String>> rows = lode("SELECT TIME_SHIFT(TIME_FLOOR(TIME_SHIFT(event_time, 'P1D', 1), 'P1W'), 'P1D', -1)"
        + WHERE + " ORDER BY event_time", "toIntervalDay(");
    List<String> expected = new ArrayList<>();
    for (LocalDateTime t : TIMES) {
      expected.add(t.toLocalDate().with(TemporalAdjusters.previousOrSame(DayOfWeek.SUNDAY)).atStartOfDay().toString());
    }
    assertEquals(column(expected), rows);
    List<String> monthBack = new ArrayList<>();
    TIMES.forEach(t -> monthBack.add(t.minusMonths(1).toString()));
    assertEquals(column(monthBack), lode("SELECT TIME_SHIFT(event_time, 'P1M', -1)" + WHERE + " ORDER BY event_time",
        "toIntervalMonth("));
  }

  @Test
  void timeExtractEveryUnit() throws SQLException {
    String[] units = {"EPOCH", "SECOND", "MINUTE", "HOUR", "DAY", "DOW", "ISODOW", "DOY", "WEEK", "MONTH", "QUARTER", "YEAR"};
    for (String u : units) {
      List<String> expected = new ArrayList<>();
      for (LocalDateTime t : TIMES) {
        long v = switch (u) {
          case "EPOCH" -> t.toEpochSecond(ZoneOffset.UTC);
          case "SECOND" -> t.getSecond();
          case "MINUTE" -> t.getMinute();
          case "HOUR" -> t.getHour();
          case "DAY" -> t.getDayOfMonth();
          case "DOW", "ISODOW" -> t.getDayOfWeek().getValue();
          case "DOY" -> t.getDayOfYear();
          case "WEEK" -> t.get(IsoFields.WEEK_OF_WEEK_BASED_YEAR);
          case "MONTH" -> t.getMonthValue();
          case "QUARTER" -> t.get(IsoFields.QUARTER_OF_YEAR);
          default -> t.getYear();
        };
        expected.add(Long.toString(v));
      }
      assertEquals(column(expected), lode("SELECT TIME_EXTRACT(event_time, '" + u + "')" + WHERE + " ORDER BY event_time",
          "toInt64("), u);
    }
  }

  @Test
  void millisRoundTrip() throws SQLException {
    List<List<String>> expected = new ArrayList<>();
    for (LocalDateTime t : TIMES) {
      long ms = t.toInstant(ZoneOffset.UTC).toEpochMilli();
      expected.add(List.of(Long.toString(ms), t.plusSeconds(1).toString()));
    }
    assertEquals(expected, lode("SELECT TIMESTAMP_TO_MILLIS(event_time),"
        + " MILLIS_TO_TIMESTAMP(TIMESTAMP_TO_MILLIS(event_time) + 1000)" + WHERE + " ORDER BY event_time",
        "fromUnixTimestamp64Milli("));
  }
}
