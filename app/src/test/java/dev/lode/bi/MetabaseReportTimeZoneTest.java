package dev.lode.bi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Metabase with a report time zone: druid-jdbc sends it as {@code sqlTimeZone}, and Druid then
 * shows, truncates, extracts and compares times as wall-clock times of that zone. Each answer
 * is compared with ClickHouse's own time-zone functions (the zone's rules from ClickHouse's
 * time-zone database, formatted as text), over events that straddle a daylight-saving change
 * (2034-03-12 in Los Angeles). The client decodes in UTC here so the server's wall-clock values
 * are read as they are sent; {@link #metabaseDecodingInItsZone} connects exactly as Metabase does.
 */
class MetabaseReportTimeZoneTest {
  // the same events and filters as the UTC questions
  private static final String T = MetabaseDruidJdbcTest.T;
  private static final String WHERE = MetabaseDruidJdbcTest.WHERE;
  private static final String NATIVE_WHERE = MetabaseDruidJdbcTest.NATIVE_WHERE;

  @BeforeAll
  static void data() throws SQLException {
    CompatEvents.load();
  }

  /** ClickHouse's text of a time in its own zone, read back as a zoneless (UTC-labelled) time. */
  private static String wall(String expr) {
    return "toDateTime64(toString(" + expr + "), 3, 'UTC')";
  }

  private static Answer lode(String zone, String sql) throws SQLException {
    try (Connection c = MetabaseAvatica.connect(LodeEndpoint.analyst().name(), LodeEndpoint.analyst().password(),
        zone, "UTC"); Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
      return Answer.of(rs);
    }
  }

  /** Zones as Metabase offers them (IANA names) and as an offset; {@code clickhouse} is the same rules' ClickHouse name. */
  @ParameterizedTest
  @CsvSource({"America/Los_Angeles, America/Los_Angeles", "Asia/Kolkata, Asia/Kolkata", "-08:00, Etc/GMT+8"})
  void timesAreWallClockTimesOfTheSessionZone(String zone, String clickhouse) throws SQLException {
    String z = "'" + clickhouse + "'";
    Map<String, String> shapes = new LinkedHashMap<>();
    shapes.put("SELECT \"lode\".\"events\".\"event_id\", " + T + WHERE + " ORDER BY 1",
        "SELECT event_id, " + wall("toTimeZone(event_time, " + z + ")") + NATIVE_WHERE + " ORDER BY 1");
    for (String[] unit : new String[][] {{"hour", "toStartOfHour"}, {"day", "toStartOfDay"}}) {
      String e = "DATE_TRUNC('" + unit[0] + "', " + T + ")";
      shapes.put("SELECT " + e + " AS \"event_time\", COUNT(*) AS \"count\"" + WHERE + " GROUP BY " + e + " ORDER BY "
          + e, "SELECT " + wall(unit[1] + "(event_time, " + z + ")") + " AS t, count()" + NATIVE_WHERE
          + " GROUP BY t ORDER BY t");
    }
    for (String[] unit : new String[][] {{"week", "toMonday"}, {"month", "toStartOfMonth"}}) {
      String e = "DATE_TRUNC('" + unit[0] + "', " + T + ")";
      shapes.put("SELECT " + e + " AS \"event_time\", COUNT(*) AS \"count\"" + WHERE + " GROUP BY " + e + " ORDER BY "
          + e, "SELECT toDateTime(" + unit[1] + "(event_time, " + z + "), 'UTC') AS t, count()" + NATIVE_WHERE
          + " GROUP BY t ORDER BY t");
    }
    shapes.put("SELECT TIME_FLOOR(" + T + ", 'P1D') AS \"d\", COUNT(*) AS \"count\"" + WHERE + " GROUP BY 1 ORDER BY 1",
        "SELECT " + wall("toStartOfDay(event_time, " + z + ")") + " AS t, count()" + NATIVE_WHERE
            + " GROUP BY t ORDER BY t");
    for (String[] unit : new String[][] {{"hour", "toHour"}, {"dow", "toDayOfWeek"}, {"day", "toDayOfMonth"}}) {
      String e = "TIME_EXTRACT(" + T + ", '" + unit[0] + "')";
      shapes.put("SELECT " + e + " AS \"x\", COUNT(*) AS \"count\"" + WHERE + " GROUP BY " + e + " ORDER BY " + e,
          "SELECT " + unit[1] + "(event_time, " + (unit[0].equals("dow") ? "0, " : "") + z + ") AS t, count()"
              + NATIVE_WHERE + " GROUP BY t ORDER BY t");
    }
    shapes.put("SELECT EXTRACT(HOUR FROM " + T + ") AS \"h\", COUNT(*) AS \"count\"" + WHERE + " GROUP BY 1 ORDER BY 1",
        "SELECT toHour(event_time, " + z + ") AS t, count()" + NATIVE_WHERE + " GROUP BY t ORDER BY t");
    // a literal means the zone's wall clock: local midnight of 2034-03-12, the day clocks change
    shapes.put("SELECT COUNT(*) AS \"count\"" + WHERE + " AND " + T + " >= TIMESTAMP '2034-03-12 00:00:00'",
        "SELECT count()" + NATIVE_WHERE + " AND event_time >= toDateTime64('2034-03-12 00:00:00', 3, " + z + ")");
    // a time inside a sub-query is read in the zone too
    shapes.put("SELECT COUNT(*) AS \"count\"" + WHERE + " AND \"lode\".\"events\".\"event_id\" IN (SELECT \"event_id\""
        + " FROM \"lode\".\"events\" WHERE \"event_time\" < TIMESTAMP '2034-01-15 00:00:00')",
        "SELECT count()" + NATIVE_WHERE + " AND event_time < toDateTime64('2034-01-15 00:00:00', 3, " + z + ")");
    // a relative filter from CURRENT_TIMESTAMP, by the zone's days (today's distance to the data's 2034-02-01)
    long days = java.time.temporal.ChronoUnit.DAYS.between(java.time.LocalDate.now(java.time.ZoneOffset.UTC),
        java.time.LocalDate.of(2034, 2, 1));
    shapes.put("SELECT COUNT(*) AS \"count\"" + WHERE + " AND DATE_TRUNC('day', " + T + ") >= DATE_TRUNC('day',"
        + " TIMESTAMPADD(day, " + days + ", CURRENT_TIMESTAMP))",
        "SELECT count()" + NATIVE_WHERE + " AND event_time >= toStartOfDay(now() + INTERVAL " + days + " DAY, " + z + ")");
    StringBuilder failures = new StringBuilder();
    for (var s : shapes.entrySet()) {
      Answer expected = CompatEvents.natively(s.getValue());
      assertFalse(expected.rows().isEmpty(), s.getValue());
      try {
        Answer got = lode(zone, s.getKey());
        if (!expected.equals(got)) {
          failures.append(s.getKey()).append("\n  Lode:       ").append(got.rows().stream().limit(3).toList())
              .append("\n  ClickHouse: ").append(expected.rows().stream().limit(3).toList()).append('\n');
        }
      } catch (SQLException e) {
        failures.append(s.getKey()).append("\n  ").append(e.getSQLState()).append(' ').append(ServerReason.of(e))
            .append('\n');
      }
    }
    assertEquals("", failures.toString());
    // without a table Calcite evaluates the current time itself: the zone's wall clock too
    String now = lode(zone, "SELECT CURRENT_TIMESTAMP AS \"now\"").rows().get(0).get(0);
    java.time.LocalDateTime local = java.time.LocalDateTime.now(java.time.ZoneId.of(clickhouse));
    long apart = Math.abs(java.time.Duration.between(local, java.time.LocalDateTime.parse(now.replace(' ', 'T'))).toSeconds());
    org.junit.jupiter.api.Assertions.assertTrue(apart < 120, now + " vs " + local);
  }

  /**
   * Exactly as Metabase connects (both properties the report zone) and binds a date filter (a
   * wall-clock text parameter): the timestamps its driver decodes are the instants the zone's
   * days start at.
   */
  @org.junit.jupiter.api.Test
  void metabaseDecodingInItsZone() throws SQLException {
    String zone = "America/Los_Angeles";
    List<String> got = new ArrayList<>();
    try (Connection c = MetabaseAvatica.connect(LodeEndpoint.analyst().name(), LodeEndpoint.analyst().password(),
        zone, zone); PreparedStatement ps = c.prepareStatement("SELECT DATE_TRUNC('day', " + T + ") AS \"d\","
        + " COUNT(*) AS \"count\"" + WHERE + " AND DATE_TRUNC('day', " + T + ") >= ? GROUP BY 1 ORDER BY 1")) {
      ps.setString(1, "2034-03-10 00:00:00.000");
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          got.add(rs.getTimestamp(1).toInstant().toEpochMilli() + " " + rs.getLong(2));
        }
      }
    }
    List<String> expected = new ArrayList<>();
    for (List<String> row : CompatEvents.natively("SELECT toUnixTimestamp(toStartOfDay(event_time, '" + zone + "')) * 1000 AS d,"
        + " count()" + NATIVE_WHERE + " AND toStartOfDay(event_time, '" + zone + "') >= toDateTime('2034-03-10 00:00:00', '"
        + zone + "') GROUP BY d ORDER BY d").rows()) {
      expected.add(row.get(0) + " " + row.get(1));
    }
    assertFalse(expected.isEmpty());
    assertEquals(expected, got);
  }
}
