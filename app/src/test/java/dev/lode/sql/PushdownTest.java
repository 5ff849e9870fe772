package dev.lode.sql;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lode.config.Credentials;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.apache.calcite.runtime.Hook;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Queries sent through the Avatica driver run inside ClickHouse: the test captures the SQL
 * Calcite's JDBC adapter generates (Calcite's QUERY_PLAN hook, in this same JVM as the
 * server) and asserts filters, projections, aggregates with {@code uniqExact}, sorts, limits,
 * joins and behavior functions appear in it — and that the rows are right.
 */
class PushdownTest {
  private static final List<String> GENERATED = new CopyOnWriteArrayList<>();
  private static final Consumer<Object> CAPTURE = sql -> GENERATED.add(String.valueOf(sql));
  private static Hook.Closeable hook;

  @BeforeAll
  @SuppressWarnings("deprecation") // process-wide: the server plans on its own threads
  static void data() throws SQLException {
    hook = Hook.QUERY_PLAN.add(CAPTURE);
    List<Ev> events = new ArrayList<>();
    long t = 1_950_000_000_000L; // 2031-10
    for (int i = 0; i < 60; i++) {
      events.add(new Ev("pd-" + i, "pd-p" + (i % 7), t + i * 60_000L, i % 3 == 0 ? "purchase" : "page_view",
          i % 2 == 0 ? "UK" : "FR", "/p" + (i % 4), ""));
    }
    try (Connection w = SqlClient.warehouse(); Statement st = w.createStatement()) {
      Ev.insert(w, events);
      st.execute("INSERT INTO persons (person_id, created_at, updated_at, country) VALUES"
          + " ('pd-p1', now(), now(), 'UK'), ('pd-p2', now(), now(), 'FR')");
    }
  }

  @AfterAll
  static void unhook() {
    hook.close();
  }

  /** Runs a query as an analyst; returns its rows and the ClickHouse SQL it produced. */
  private static String[] run(String sql, List<List<Object>> rows) throws SQLException {
    return run(Credentials.Role.ANALYST, sql, rows);
  }

  /** Runs a query as a user with {@code role}; returns its rows and the ClickHouse SQL it produced. */
  private static String[] run(Credentials.Role role, String sql, List<List<Object>> rows) throws SQLException {
    GENERATED.clear();
    try (Connection c = SqlClient.connect(role); Statement st = c.createStatement()) {
      rows.addAll(SqlClient.rows(st, sql));
    }
    return GENERATED.toArray(new String[0]);
  }

  private static String only(String[] generated) {
    assertEquals(1, generated.length, String.join("\n---\n", generated));
    return generated[0].replaceAll("\\s+", " ");
  }

  @Test
  void filterProjectAggregateSortLimitRunInClickHouse() throws SQLException {
    List<List<Object>> rows = new ArrayList<>();
    String sql = only(run("SELECT country, COUNT(*) AS n, COUNT(DISTINCT distinct_id) AS persons FROM events"
        + " WHERE event_id LIKE 'pd-%' AND event_name = 'purchase' GROUP BY country ORDER BY n DESC, country LIMIT 5", rows));
    assertTrue(sql.contains("uniqExact(`distinct_id`)"), sql);
    assertTrue(sql.contains("WHERE `event_id` LIKE 'pd-%' AND `event_name` = 'purchase'"), sql);
    assertTrue(sql.contains("GROUP BY `country`"), sql);
    assertTrue(sql.contains("ORDER BY"), sql);
    assertTrue(sql.contains("LIMIT 5"), sql);
    // an analyst's query reads the masked analyst database, never the raw tables
    assertTrue(sql.contains("`lode_analyst`.`events`"), sql);
    // purchases are i % 3 == 0 (20 of 60); UK are even i: i % 6 == 0 -> 10 UK, 10 FR
    assertEquals(List.of(List.of("FR", 10L, 7L), List.of("UK", 10L, 7L)), rows);
  }

  // The join tests match events' raw distinct_id (the fixture sets no person_id) with persons'
  // person_id, so they run as an admin: an analyst sees distinct_id only as a salted pseudonym,
  // which by design never equals a raw id (PiiMaskingTest covers what analysts see).

  @Test
  void joinsRunInClickHouse() throws SQLException {
    List<List<Object>> rows = new ArrayList<>();
    String sql = only(run(Credentials.Role.ADMIN, "SELECT p.person_id, COUNT(*) AS n FROM events e JOIN persons p ON e.distinct_id = p.person_id"
        + " WHERE e.event_id LIKE 'pd-%' GROUP BY p.person_id ORDER BY p.person_id", rows));
    assertTrue(sql.contains("JOIN"), sql);
    assertTrue(sql.contains("`persons`"), sql);
    assertEquals(List.of(List.of("pd-p1", 9L), List.of("pd-p2", 9L)), rows);
  }

  @Test
  void behaviorFunctionsAreSubQueriesOfTheStatement() throws SQLException {
    List<List<Object>> rows = new ArrayList<>();
    String sql = only(run(Credentials.Role.ADMIN, "SELECT f.person_id, p.country FROM TABLE(funnel_people('page_view,purchase', 3600, 2))"
        + " AS f JOIN persons p ON f.person_id = p.person_id WHERE f.entered_at >= TIMESTAMP '2031-10-01 00:00:00'"
        + " ORDER BY f.person_id", rows));
    assertTrue(sql.contains("JOIN"), sql);
    assertTrue(sql.contains("arrayFirstIndex"), sql); // the funnel itself
    assertTrue(sql.contains("`persons`"), sql);
    assertEquals(List.of(List.of("pd-p1", "UK"), List.of("pd-p2", "FR")), rows);
    rows.clear();
    String trend = only(run("SELECT SUM(events) FROM TABLE(event_trends('purchase', 'day', '2031-10-01', '2031-11-01'))",
        rows));
    assertTrue(trend.contains("SUM(") || trend.contains("sum("), trend);
    assertEquals(List.of(List.of(20L)), rows);
  }
}
