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
 * An analyst's query sent through the Avatica driver runs inside ClickHouse, on the analyst's
 * masked database: the test captures the SQL Calcite's JDBC adapter generates (Calcite's
 * QUERY_PLAN hook, in this same JVM as the server) and asserts filters, projections, aggregates
 * with {@code uniqExact}, sorts and limits appear in it — and that the rows are right. Joins and
 * behavior functions without a server are udfs' {@code PushdownTest}.
 */
class AnalystPushdownTest {
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
    try (Connection w = SqlClient.warehouse()) {
      Ev.insert(w, events);
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
}
