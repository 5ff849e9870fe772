package dev.lode.sql;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lode.sql.schema.CalciteHarness;
import dev.lode.sql.schema.FunctionTable;
import dev.lode.sql.schema.LodeSchemaFactory;
import dev.lode.testing.TestWarehouse;
import dev.lode.udf.TimeGrainConnection;
import dev.lode.warehouse.Warehouse;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import org.apache.calcite.runtime.Hook;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The date arithmetic BI tools emit — {@code TIMESTAMPADD}, {@code TIMESTAMPDIFF} (also in the
 * JDBC escape form {@code {fn TIMESTAMPADD(SQL_TSI_DAY, …)}} Tableau sends), interval
 * arithmetic, {@code DATE_TRUNC} — in SELECT, WHERE and GROUP BY, through a Calcite connection as
 * the server opens one (statements rewritten by {@code TimeGrainRewriter} first, as the server
 * does): each runs as one ClickHouse query (the generated SQL is asserted) and its rows equal
 * java.time's answer.
 */
class TimeArithmeticTest {
  private static Connection calcite;

  /** id, event_time, received_time, quantity: a sub-second gap, a gap over midnight, a month-end gap. */
  private static final List<Row> ROWS = List.of(
      new Row("ta-1", LocalDateTime.parse("2033-03-01T10:00:00"), LocalDateTime.parse("2033-03-01T10:00:07.500"), 2),
      new Row("ta-2", LocalDateTime.parse("2033-03-02T23:30:00"), LocalDateTime.parse("2033-03-04T00:15:00"), 3),
      new Row("ta-3", LocalDateTime.parse("2033-05-31T12:00:00"), LocalDateTime.parse("2033-07-01T11:00:00"), -1));

  private record Row(String id, LocalDateTime time, LocalDateTime received, int quantity) {
  }

  @BeforeAll
  static void data() throws SQLException {
    Warehouse warehouse = TestWarehouse.isolated("time_arithmetic");
    StringBuilder sql = new StringBuilder("INSERT INTO events (event_id, event_time, received_time, distinct_id,"
        + " event_name, quantity, source) VALUES ");
    for (Row r : ROWS) {
      sql.append(r == ROWS.get(0) ? "" : ", ").append("('").append(r.id()).append("', '").append(text(r.time()))
          .append("', '").append(text(r.received())).append("', 'ta-person', 'ta_event', ").append(r.quantity())
          .append(", 'test')");
    }
    try (Connection w = warehouse.connect(); Statement st = w.createStatement()) {
      st.execute(sql.toString());
    }
    calcite = TimeGrainConnection.wrap(CalciteHarness.connect(new LodeSchemaFactory(warehouse, FunctionTable.NONE, 0, 1800)));
  }

  @AfterAll
  static void close() throws SQLException {
    calcite.close();
  }

  private static String text(LocalDateTime t) {
    return t.toString().replace('T', ' ');
  }

  /** Runs a query; returns its rows as text (as the JDBC driver's objects print) and checks it ran as one ClickHouse query. */
  private static List<List<String>> run(String sql, String... generatedContains) throws SQLException {
    List<String> pushed = new ArrayList<>();
    List<List<String>> rows = new ArrayList<>();
    java.util.function.Consumer<Object> record = p -> pushed.add(String.valueOf(p));
    try (Hook.Closeable ignored = Hook.QUERY_PLAN.addThread(record);
         Statement st = calcite.createStatement(); ResultSet rs = st.executeQuery(sql)) {
      int n = rs.getMetaData().getColumnCount();
      while (rs.next()) {
        List<String> row = new ArrayList<>();
        for (int i = 1; i <= n; i++) {
          row.add(String.valueOf(rs.getObject(i)));
        }
        rows.add(row);
      }
    }
    assertEquals(1, pushed.size(), String.join("\n---\n", pushed));
    String generated = pushed.get(0).replaceAll("\\s+", " ");
    for (String fragment : generatedContains) {
      assertTrue(generated.contains(fragment), fragment + " not in: " + generated);
    }
    return rows;
  }

  /** A timestamp as the driver's java.sql.Timestamp prints it. */
  private static String ts(LocalDateTime t) {
    return java.sql.Timestamp.valueOf(t).toString();
  }

  /**
   * Whole months from {@code a} to {@code b}: the most months that can be added to {@code a}
   * (the day clamped to the month's end: May 31 + 1 month = June 30) without passing {@code b}.
   * Calcite, ClickHouse's {@code age} and MySQL count this way; java.time's MONTHS.between does not
   * clamp (May 31 12:00 to July 1 11:00 is 0 months to it).
   */
  private static long months(LocalDateTime a, LocalDateTime b) {
    long m = 0;
    while (!a.plusMonths(m + 1).isAfter(b)) {
      m++;
    }
    return m;
  }

  @Test
  void timestampDiffInSelect() throws SQLException {
    List<List<String>> expected = new ArrayList<>();
    for (Row r : ROWS) {
      expected.add(List.of(r.id(), Long.toString(Duration.between(r.time(), r.received()).toMillis() / 1000),
          Long.toString(ChronoUnit.DAYS.between(r.time(), r.received())),
          Long.toString(months(r.time(), r.received())),
          Long.toString(ChronoUnit.MINUTES.between(r.time(), r.received()))));
    }
    assertEquals(expected, run("SELECT event_id, TIMESTAMPDIFF(SECOND, event_time, received_time),"
            + " TIMESTAMPDIFF(DAY, event_time, received_time), TIMESTAMPDIFF(MONTH, event_time, received_time),"
            + " {fn TIMESTAMPDIFF(SQL_TSI_MINUTE, event_time, received_time)}"
            + " FROM events WHERE event_name = 'ta_event' ORDER BY event_id",
        "dateDiff('millisecond', `event_time`, `received_time`)", "age('month', `event_time`, `received_time`)",
        "intDiv("));
  }

  @Test
  void integerDivisionOfNegativeNumbersTruncatesTowardZero() throws SQLException {
    // Calcite (like Java) truncates toward zero; ClickHouse's intDiv must give the same for negatives
    List<List<String>> expected = new ArrayList<>();
    for (Row r : ROWS) {
      expected.add(List.of(r.id(), Integer.toString((r.quantity() - 100) / 7), Integer.toString((100 - r.quantity()) / -7)));
    }
    assertEquals(expected, run("SELECT event_id, (quantity - 100) / 7, (100 - quantity) / -7"
        + " FROM events WHERE event_name = 'ta_event' ORDER BY event_id", "intDiv("));
  }

  @Test
  void timestampAddInSelect() throws SQLException {
    List<List<String>> expected = new ArrayList<>();
    for (Row r : ROWS) {
      expected.add(List.of(r.id(), ts(r.time().plusDays(1)), ts(r.time().plusMonths(1)),
          ts(r.time().plusHours(r.quantity())), ts(r.time().plusDays(1)), ts(r.time().minusWeeks(2))));
    }
    assertEquals(expected, run("SELECT event_id, TIMESTAMPADD(DAY, 1, event_time), TIMESTAMPADD(MONTH, 1, event_time),"
            + " TIMESTAMPADD(HOUR, quantity, event_time), {fn TIMESTAMPADD(SQL_TSI_DAY, 1, event_time)},"
            + " TIMESTAMPADD(WEEK, -2, event_time)"
            + " FROM events WHERE event_name = 'ta_event' ORDER BY event_id",
        "`event_time` + toIntervalDay(1)", "toIntervalMonth(1)", "toIntervalHour(`quantity`)", "toIntervalDay(-14)"));
  }

  @Test
  void intervalArithmetic() throws SQLException {
    List<List<String>> expected = new ArrayList<>();
    for (Row r : ROWS) {
      expected.add(List.of(r.id(), ts(r.time().plusMinutes(90)), ts(r.time().minusMinutes(90)),
          ts(r.time().plusMonths(14))));
    }
    assertEquals(expected, run("SELECT event_id, event_time + INTERVAL '90' MINUTE,"
            + " event_time - INTERVAL '1:30' HOUR TO MINUTE, event_time + INTERVAL '1-2' YEAR TO MONTH"
            + " FROM events WHERE event_name = 'ta_event' ORDER BY event_id",
        "INTERVAL 90 MINUTE", "- INTERVAL 90 MINUTE", "INTERVAL 14 MONTH"));
  }

  @Test
  void dateArithmeticInWhere() throws SQLException {
    // ta-1 is exactly 7 days before the bound: inclusive
    assertEquals(List.of(List.of("ta-1"), List.of("ta-2")), run("SELECT event_id FROM events"
            + " WHERE event_name = 'ta_event' AND event_time >= TIMESTAMPADD(DAY, -7, TIMESTAMP '2033-03-08 10:00:00')"
            + " AND event_time < TIMESTAMP '2033-03-08 10:00:00' ORDER BY event_id",
        "WHERE", "`event_time` >="));
    // the fixture is in the future: all of it is later than a week ago
    assertEquals(List.of(List.of("3")), run("SELECT COUNT(*) FROM events WHERE event_name = 'ta_event'"
        + " AND event_time > CURRENT_TIMESTAMP - INTERVAL '7' DAY", "CURRENT_TIMESTAMP - INTERVAL 7 DAY"));
    assertEquals(List.of(List.of("3")), run("SELECT COUNT(*) FROM events WHERE event_name = 'ta_event'"
        + " AND event_time > TIMESTAMPADD(DAY, -7, CURRENT_TIMESTAMP)", "CURRENT_TIMESTAMP + INTERVAL -7 DAY"));
    assertEquals(List.of(List.of("ta-3")), run("SELECT event_id FROM events WHERE event_name = 'ta_event'"
        + " AND TIMESTAMPDIFF(HOUR, event_time, received_time) > 24 * 7", "dateDiff('millisecond'"));
  }

  @Test
  void dateArithmeticInGroupBy() throws SQLException {
    LocalDateTime origin = LocalDateTime.parse("2033-03-01T00:00:00");
    java.util.TreeMap<Long, Integer> byDay = new java.util.TreeMap<>();
    for (Row r : ROWS) {
      byDay.merge(ChronoUnit.DAYS.between(origin, r.time()) / 30, 1, Integer::sum);
    }
    List<List<String>> expected = byDay.entrySet().stream()
        .map(e -> List.of(Long.toString(e.getKey()), Integer.toString(e.getValue()))).toList();
    assertEquals(expected, run("SELECT TIMESTAMPDIFF(DAY, TIMESTAMP '2033-03-01 00:00:00', event_time) / 30 AS m,"
            + " COUNT(*) FROM events WHERE event_name = 'ta_event'"
            + " GROUP BY TIMESTAMPDIFF(DAY, TIMESTAMP '2033-03-01 00:00:00', event_time) / 30 ORDER BY m",
        "GROUP BY", "dateDiff('millisecond'"));
    assertEquals(List.of(List.of("2033-03-08 00:00:00.0", "2"), List.of("2033-05-08 00:00:00.0", "1")),
        run("SELECT TIMESTAMPADD(WEEK, 1, DATE_TRUNC('month', event_time)) AS d, COUNT(*) FROM events"
            + " WHERE event_name = 'ta_event' GROUP BY TIMESTAMPADD(WEEK, 1, DATE_TRUNC('month', event_time))"
            + " ORDER BY d", "toStartOfMonth(`event_time`", "+ toIntervalDay(7)", "GROUP BY"));
  }

  /** The grains that already worked keep being pushed down: DATE_TRUNC, EXTRACT, CAST to DATE. */
  @Test
  void timeGrainsStayPushedDown() throws SQLException {
    assertEquals(List.of(List.of("2033-03-01 00:00:00.0", "1"), List.of("2033-03-02 00:00:00.0", "1"),
            List.of("2033-05-31 00:00:00.0", "1")),
        run("SELECT DATE_TRUNC('day', event_time) AS d, COUNT(*) FROM events WHERE event_name = 'ta_event'"
            + " GROUP BY DATE_TRUNC('day', event_time) ORDER BY d", "toStartOfDay(`event_time`)", "GROUP BY"));
    assertEquals(List.of(List.of("3", "2"), List.of("5", "1")),
        run("SELECT EXTRACT(MONTH FROM event_time) AS m, COUNT(*) FROM events WHERE event_name = 'ta_event'"
            + " GROUP BY EXTRACT(MONTH FROM event_time) ORDER BY m", "EXTRACT(MONTH FROM `event_time`)"));
    assertEquals(List.of(List.of("2033-03-01"), List.of("2033-03-02"), List.of("2033-05-31")),
        run("SELECT CAST(event_time AS DATE) AS d FROM events WHERE event_name = 'ta_event'"
            + " GROUP BY CAST(event_time AS DATE) ORDER BY d", "CAST(`event_time` AS `Date`)"));
  }
}
