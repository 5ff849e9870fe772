package dev.lode.sql;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.lode.config.Credentials;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import org.apache.calcite.runtime.Hook;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The unmatched side of a pushed-down outer join is NULL (not '', 0 or 1970-01-01, ClickHouse's
 * defaults), and declared nullable; answers are compared with the same question asked natively
 * of ClickHouse without a join.
 */
class OuterJoinNullsTest {
  private static Hook.Closeable hook;
  private static final String WHERE = " FROM events WHERE event_name = 'aj_ev'";

  @BeforeAll
  static void data() throws SQLException {
    hook = Native.capture();
    try (Connection w = SqlClient.warehouse(); Statement st = w.createStatement()) {
      st.execute("INSERT INTO events (event_id, event_time, received_time, distinct_id, event_name, quantity, source)"
          + " VALUES ('aj-1', '2011-06-01 10:00:00', now64(3), 'aj-known', 'aj_ev', 1, 'test'),"
          + " ('aj-2', '2011-06-01 12:00:00', now64(3), 'aj-anon', 'aj_ev', 2, 'test'),"
          + " ('aj-3', '2011-06-02 13:30:00', now64(3), 'aj-anon', 'aj_ev', 3, 'test'),"
          + " ('aj-4', '2011-06-05 23:59:59.500', now64(3), 'aj-other', 'aj_ev', 5, 'test')");
      st.execute("INSERT INTO persons (person_id, created_at, updated_at, country) VALUES ('aj-known', now(), now(), 'UK')");
    }
  }

  @AfterAll
  static void unhook() {
    hook.close();
  }

  private static List<List<String>> same(String sql, String nativeSql) throws SQLException {
    List<List<String>> lode;
    try (Connection c = SqlClient.connect(Credentials.Role.ADMIN); PreparedStatement ps = c.prepareStatement(sql)) {
      lode = Native.rows(ps);
    }
    assertEquals(Native.clickhouse(nativeSql), lode, sql);
    return lode;
  }

  @Test
  void unmatchedOuterJoinColumnsAreNull() throws SQLException {
    List<List<String>> rows = same("SELECT e.event_id, p.country, p.created_at FROM events e"
            + " LEFT JOIN persons p ON p.person_id = e.distinct_id"
            + " WHERE e.event_name = 'aj_ev' AND p.person_id IS NULL ORDER BY e.event_id",
        "SELECT event_id, NULL, NULL" + WHERE
            + " AND distinct_id NOT IN (SELECT person_id FROM persons) ORDER BY event_id");
    assertEquals(3, rows.size());
    assertNull(rows.get(0).get(1));
    try (Connection c = SqlClient.connect(Credentials.Role.ADMIN); PreparedStatement ps = c.prepareStatement(
        "SELECT p.country FROM events e LEFT JOIN persons p ON p.person_id = e.distinct_id")) {
      assertEquals(java.sql.ResultSetMetaData.columnNullable, ps.getMetaData().isNullable(1));
    }
    assertEquals(List.of(List.of("aj-1", "UK")), same("SELECT e.event_id, p.country FROM events e"
        + " LEFT JOIN persons p ON p.person_id = e.distinct_id WHERE e.event_name = 'aj_ev' AND p.country IS NOT NULL",
        "SELECT 'aj-1', 'UK'"));
  }
}
