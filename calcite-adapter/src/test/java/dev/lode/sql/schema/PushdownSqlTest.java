package dev.lode.sql.schema;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lode.testing.BehaviorFixture;
import dev.lode.testing.TestWarehouse;
import dev.lode.warehouse.Warehouse;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The adapter alone, without a server or any function: each query shape runs through a Calcite
 * connection over {@link LodeSchemaFactory} with {@link FunctionTable#NONE}, its pushed-down
 * ClickHouse SQL is asserted, its plan has no operator Calcite would run in the JVM, and its rows
 * equal those of the same question asked natively of ClickHouse.
 */
class PushdownSqlTest {
  private static Warehouse warehouse;
  private static Connection calcite;
  private static Connection clickhouse;

  @BeforeAll
  static void fixture() throws SQLException {
    warehouse = TestWarehouse.isolated("adapter");
    BehaviorFixture f = new BehaviorFixture(warehouse, Instant.parse("2031-10-10T12:00:00Z"));
    String[] people = {"ada", "bob", "cy", "dee", "eve"};
    String[] categories = {"shoes", "hats", "books"};
    for (int i = 0; i < 40; i++) {
      String person = people[i % people.length];
      String name = i % 4 == 0 ? "purchase" : i % 4 == 1 ? "add_to_cart" : "product_view";
      f.event(person, name, categories[i % categories.length], Duration.ofHours(7L * i + (i % 5)), 100L * (i % 9),
          person + "-s" + (i / 6));
    }
    f.flush();
    f.exec("INSERT INTO persons (person_id, created_at, updated_at, country) VALUES"
        + " ('ada', now(), now(), 'UK'), ('bob', now(), now(), 'FR'), ('cy', now(), now(), 'UK')");
    calcite = CalciteHarness.connect(new LodeSchemaFactory(warehouse, FunctionTable.NONE, 0, 1800));
    clickhouse = warehouse.connect();
  }

  @AfterAll
  static void close() throws SQLException {
    calcite.close();
    clickhouse.close();
  }

  /** Runs {@code sql} through Calcite and {@code nativeSql} in ClickHouse; the rows must be equal and non-empty. */
  private static CalciteHarness.Answer agree(String sql, String nativeSql) throws SQLException {
    CalciteHarness.Answer a = CalciteHarness.run(calcite, sql);
    List<List<Object>> expected = CalciteHarness.nativeRows(clickhouse, nativeSql);
    assertFalse(expected.isEmpty(), "the reference query found no rows: " + nativeSql);
    assertEquals(expected, a.rows(), sql);
    assertAllInClickHouse(sql);
    return a;
  }

  /** The physical plan is one JDBC subtree under the converter: no Enumerable operator runs in the JVM. */
  private static void assertAllInClickHouse(String sql) throws SQLException {
    List<String> plan = new ArrayList<>();
    try (Statement st = calcite.createStatement(); ResultSet rs = st.executeQuery("EXPLAIN PLAN FOR " + sql)) {
      while (rs.next()) {
        plan.addAll(List.of(rs.getString(1).split("\n")));
      }
    }
    assertTrue(plan.get(0).startsWith("JdbcToEnumerableConverter"), String.join("\n", plan));
    for (String line : plan.subList(1, plan.size())) {
      // Jdbc* are Calcite's pushed-down nodes, ClickHouse* the adapter's own (joins, native scans)
      assertTrue(line.isBlank() || line.trim().startsWith("Jdbc") || line.trim().startsWith("ClickHouse"), "computed in the JVM: " + line + "\n"
          + String.join("\n", plan));
    }
  }

  @Test
  void filterAndProjection() throws SQLException {
    String sql = agree("SELECT event_name, person_id, dwell_ms FROM events WHERE category = 'shoes' AND dwell_ms >= 300"
            + " ORDER BY event_time",
        "SELECT event_name, person_id, dwell_ms FROM events WHERE category = 'shoes' AND dwell_ms >= 300 ORDER BY event_time")
        .only();
    assertTrue(sql.contains("WHERE `category` = 'shoes' AND "), sql);
    assertTrue(sql.contains("`dwell_ms`") && sql.contains(">= 300"), sql);
    assertTrue(sql.startsWith("SELECT `event_name`, `person_id`, `dwell_ms`"), sql);
  }

  @Test
  void aggregates() throws SQLException {
    String sql = agree("SELECT COUNT(*), SUM(dwell_ms), MIN(dwell_ms), MAX(dwell_ms), AVG(CAST(dwell_ms AS DOUBLE)),"
            + " COUNT(DISTINCT person_id) FROM events",
        "SELECT count(), sum(dwell_ms), min(dwell_ms), max(dwell_ms), avg(dwell_ms), uniqExact(person_id) FROM events")
        .only();
    assertTrue(sql.contains("uniqExact(`person_id`)"), sql);
    assertTrue(sql.contains("SUM(`dwell_ms`)") && sql.contains("MIN(`dwell_ms`)") && sql.contains("MAX(`dwell_ms`)"), sql);
  }

  @Test
  void averageOfAnIntegerColumnIsTheNativeAverage() throws SQLException {
    // AVG of an integer column is an integer in standard SQL (truncated); ClickHouse's avg is not:
    // the adapter must return one or the other consistently, here the SQL standard's
    CalciteHarness.Answer a = CalciteHarness.run(calcite, "SELECT AVG(dwell_ms) FROM events");
    List<List<Object>> expected = CalciteHarness.nativeRows(clickhouse, "SELECT toInt64(floor(avg(dwell_ms))) FROM events");
    assertEquals(expected, a.rows());
  }

  @Test
  void groupByOrderByLimit() throws SQLException {
    String sql = agree("SELECT category, COUNT(*) AS n, SUM(dwell_ms) AS dwell FROM events WHERE event_name <> 'purchase'"
            + " GROUP BY category ORDER BY n DESC, category LIMIT 2",
        "SELECT category, count() AS n, sum(dwell_ms) AS dwell FROM events WHERE event_name != 'purchase'"
            + " GROUP BY category ORDER BY n DESC, category LIMIT 2").only();
    assertTrue(sql.contains("GROUP BY `category`"), sql);
    assertTrue(sql.contains("ORDER BY"), sql);
    assertTrue(sql.contains("LIMIT 2"), sql);
  }

  @Test
  void joins() throws SQLException {
    String sql = agree("SELECT p.country, COUNT(*) AS n, COUNT(DISTINCT e.person_id) AS people FROM events e"
            + " JOIN persons p ON e.person_id = p.person_id GROUP BY p.country ORDER BY p.country",
        "SELECT p.country, count() AS n, uniqExact(e.person_id) AS people FROM events e"
            + " INNER JOIN persons p ON e.person_id = p.person_id GROUP BY p.country ORDER BY p.country").only();
    assertTrue(sql.contains("JOIN"), sql);
    assertTrue(sql.contains("`persons`"), sql);
  }

  @Test
  void timeFloor() throws SQLException {
    String sql = agree("SELECT FLOOR(event_time TO DAY) AS d, COUNT(*) AS n FROM events"
            + " GROUP BY FLOOR(event_time TO DAY) ORDER BY d",
        "SELECT toStartOfDay(event_time) AS d, count() AS n FROM events GROUP BY d ORDER BY d").only();
    assertTrue(sql.contains("toStartOfDay(") || sql.contains("toStartOfInterval("), sql);
  }

  /**
   * A session in another time zone reads each stored timestamp as that zone's wall-clock time,
   * in ClickHouse: the scan's column is shifted by the zone's offset at that instant, and a day
   * boundary, a literal and CURRENT_TIMESTAMP then all mean local time.
   */
  @Test
  void sessionTimeZoneShiftsStoredTimesInClickHouse() throws Exception {
    java.time.ZoneId la = java.time.ZoneId.of("America/Los_Angeles");
    CalciteHarness.Answer days = SessionZone.during(la, () -> CalciteHarness.run(calcite,
        "SELECT FLOOR(event_time TO DAY) AS d, COUNT(*) FROM events WHERE event_time >= TIMESTAMP '2031-10-05 00:00:00'"
            + " GROUP BY FLOOR(event_time TO DAY) ORDER BY 1"));
    List<List<Object>> expected = CalciteHarness.nativeRows(clickhouse, "SELECT toDateTime64(toString(toStartOfDay("
        + "event_time, 'America/Los_Angeles')), 3, 'UTC') AS d, count() FROM events WHERE event_time >="
        + " toDateTime64('2031-10-05 00:00:00', 3, 'America/Los_Angeles') GROUP BY d ORDER BY d");
    assertFalse(expected.isEmpty(), days.toString());
    assertEquals(expected, days.rows());
    assertTrue(days.only().replace(" ", "").contains("addSeconds(`event_time`,timeZoneOffset(toTimeZone(`event_time`,"
        + "'America/Los_Angeles')))"), days.only());
    // relative to now, by the zone's days: today's distance to the fixture's days, where a local day
    // boundary differs from UTC's
    long ahead = java.time.temporal.ChronoUnit.DAYS.between(java.time.LocalDate.now(java.time.ZoneOffset.UTC),
        java.time.LocalDate.of(2031, 10, 5));
    for (String zone : List.of("America/Los_Angeles", "Asia/Kolkata", "Pacific/Kiritimati")) {
      CalciteHarness.Answer now = SessionZone.during(java.time.ZoneId.of(zone), () -> CalciteHarness.run(calcite,
          "SELECT COUNT(*) FROM events WHERE FLOOR(event_time TO DAY) >= FLOOR(TIMESTAMPADD(DAY, " + ahead
              + ", CURRENT_TIMESTAMP) TO DAY)"));
      // the reference counts in the zone's calendar: today's local date plus the days (adding them to the UTC
      // instant first gave another local day for the hour a day when the zone's offset then differs from today's)
      assertEquals(CalciteHarness.nativeRows(clickhouse, "SELECT count() FROM events WHERE toDate(event_time, '" + zone
          + "') >= toDate(now64(3), '" + zone + "') + " + ahead), now.rows(), zone + ": " + now.pushed());
    }
    // outside a session zone nothing changes
    String utc = CalciteHarness.run(calcite, "SELECT COUNT(*) FROM events WHERE event_time >= TIMESTAMP"
        + " '2031-10-05 00:00:00'").only();
    assertFalse(utc.contains("addSeconds"), utc);
  }
}
