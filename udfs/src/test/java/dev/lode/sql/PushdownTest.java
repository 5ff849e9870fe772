package dev.lode.sql;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lode.sql.schema.CalciteHarness;
import dev.lode.sql.schema.LodeSchemaFactory;
import dev.lode.testing.TestWarehouse;
import dev.lode.udf.LodeOperatorTable;
import dev.lode.warehouse.Warehouse;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Joins, and behavior functions as sub-queries of the one statement Calcite pushes down (a join
 * of a function with a table, an aggregate over a function), run in ClickHouse as a whole —
 * through a Calcite connection over {@link LodeOperatorTable} as the server opens one, without a
 * server (the analyst's masked database is {@code AnalystPushdownTest}'s, in app); rows checked by hand.
 */
class PushdownTest {
  private static Connection calcite;

  @BeforeAll
  static void data() throws SQLException {
    Warehouse warehouse = TestWarehouse.isolated("function_pushdown");
    StringBuilder v = new StringBuilder();
    long t = 1_950_000_000_000L; // 2031-10
    for (int i = 0; i < 60; i++) {
      v.append(i == 0 ? "" : ", ").append("('pd-").append(i).append("', fromUnixTimestamp64Milli(toInt64(")
          .append(t + i * 60_000L).append("), 'UTC'), now64(3), 'pd-p").append(i % 7).append("', '")
          .append(i % 3 == 0 ? "purchase" : "page_view").append("', '").append(i % 2 == 0 ? "UK" : "FR")
          .append("', '/p").append(i % 4).append("', 'test')");
    }
    try (Connection w = warehouse.connect(); Statement st = w.createStatement()) {
      st.execute("INSERT INTO events (event_id, event_time, received_time, distinct_id, event_name, country, page,"
          + " source) VALUES " + v);
      st.execute("INSERT INTO persons (person_id, created_at, updated_at, country) VALUES"
          + " ('pd-p1', now(), now(), 'UK'), ('pd-p2', now(), now(), 'FR')");
    }
    calcite = CalciteHarness.connect(new LodeSchemaFactory(warehouse, new LodeOperatorTable(), 0, 1800));
  }

  @AfterAll
  static void close() throws SQLException {
    calcite.close();
  }

  @Test
  void joinsRunInClickHouse() throws SQLException {
    CalciteHarness.Answer a = CalciteHarness.run(calcite, "SELECT p.person_id, COUNT(*) AS n FROM events e"
        + " JOIN persons p ON e.distinct_id = p.person_id WHERE e.event_id LIKE 'pd-%' GROUP BY p.person_id"
        + " ORDER BY p.person_id");
    String sql = a.only();
    assertTrue(sql.contains("JOIN"), sql);
    assertTrue(sql.contains("`persons`"), sql);
    assertEquals(List.of(List.of("pd-p1", "9"), List.of("pd-p2", "9")), a.rows());
  }

  @Test
  void behaviorFunctionsAreSubQueriesOfTheStatement() throws SQLException {
    CalciteHarness.Answer people = CalciteHarness.run(calcite, "SELECT f.person_id, p.country"
        + " FROM TABLE(funnel_people('page_view,purchase', 3600, 2)) AS f JOIN persons p ON f.person_id = p.person_id"
        + " WHERE f.entered_at >= TIMESTAMP '2031-10-01 00:00:00' ORDER BY f.person_id");
    String sql = people.only();
    assertTrue(sql.contains("JOIN"), sql);
    assertTrue(sql.contains("arrayFirstIndex"), sql); // the funnel itself
    assertTrue(sql.contains("`persons`"), sql);
    assertEquals(List.of(List.of("pd-p1", "UK"), List.of("pd-p2", "FR")), people.rows());
    CalciteHarness.Answer trend = CalciteHarness.run(calcite,
        "SELECT SUM(events) FROM TABLE(event_trends('purchase', 'day', '2031-10-01', '2031-11-01'))");
    assertTrue(trend.only().contains("SUM(") || trend.only().contains("sum("), trend.only());
    // purchases are i % 3 == 0: 20 of 60
    assertEquals(List.of(List.of("20")), trend.rows());
  }
}
