package dev.lode.sql;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lode.config.Credentials;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import org.apache.calcite.runtime.Hook;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A label that is also a column name means the column everywhere but the output, as in
 * standard SQL (ClickHouse would resolve the label first): through the Avatica driver, each
 * shape BI tools write is compared with ClickHouse asked natively with labels that differ from
 * every column, and the pushed-down SQL is checked to carry no such label.
 */
class ColumnAliasTest {
  private static Hook.Closeable hook;
  private static final String EVENTS = " FROM events WHERE event_name = 'al_ev'";
  private static final String ORDERS = " FROM orders WHERE source = 'alias-test'";

  @BeforeAll
  static void data() throws SQLException {
    hook = Native.capture();
    StringBuilder events = new StringBuilder("INSERT INTO events (event_id, event_time, received_time, distinct_id,"
        + " event_name, quantity, price, source) VALUES ");
    for (int i = 0; i < 60; i++) {
      // every 71 minutes from 2011-05-31 00:00: three days, the middle one split at noon
      events.append(i == 0 ? "" : ", ").append("('al-").append(i)
          .append("', toDateTime64('2011-05-31 00:00:00', 3, 'UTC') + toIntervalMinute(").append(i * 71)
          .append("), now64(3), 'al-p").append(i % 5).append("', 'al_ev', ").append(i % 9).append(", ")
          .append(i * 7 % 53).append(".25, 'test')");
    }
    StringBuilder orders = new StringBuilder("INSERT INTO orders (order_id, order_time, status, total, source,"
        + " loaded_at) VALUES ");
    for (int i = 0; i < 30; i++) {
      orders.append(i == 0 ? "" : ", ").append("('al-o").append(i).append("', toDateTime64('2011-06-01 00:00:00', 3,"
          + " 'UTC'), 'completed', ").append(400 + i * 41).append(".09, 'alias-test', now64(3))");
    }
    try (Connection w = SqlClient.warehouse(); Statement st = w.createStatement()) {
      st.execute(events.toString());
      st.execute(orders.toString());
    }
  }

  @AfterAll
  static void unhook() {
    hook.close();
  }

  /** Lode's rows for {@code sql} equal ClickHouse's for {@code nativeSql}, from one statement without {@code label} as an alias. */
  private static void same(String sql, String nativeSql, String label) throws SQLException {
    Native.GENERATED.clear();
    List<List<String>> lode;
    try (Connection c = SqlClient.connect(Credentials.Role.ADMIN); PreparedStatement ps = c.prepareStatement(sql)) {
      try (ResultSet rs = ps.executeQuery()) {
        assertEquals(label, rs.getMetaData().getColumnLabel(1).toLowerCase(java.util.Locale.ROOT), sql);
        lode = Native.rows(rs);
      }
    }
    String generated = Native.generated();
    assertFalse(generated.contains("AS `" + label + "`"), generated);
    List<List<String>> expected = Native.clickhouse(nativeSql);
    assertTrue(!expected.isEmpty(), nativeSql);
    assertEquals(expected, lode, sql);
  }

  @Test
  void flooredTimeFiltersTheColumn() throws SQLException {
    same("SELECT FLOOR(event_time TO DAY) AS event_time" + EVENTS
            + " AND event_time >= TIMESTAMP '2011-06-01 12:00:00' ORDER BY 1 LIMIT 1",
        "SELECT toStartOfDay(event_time) AS day_start" + EVENTS
            + " AND event_time >= toDateTime64('2011-06-01 12:00:00', 3, 'UTC') ORDER BY day_start LIMIT 1",
        "event_time");
    // the floored value of 12:00 on 1 June is that day, not the next one
    try (Connection c = SqlClient.connect(Credentials.Role.ADMIN); Statement st = c.createStatement();
         ResultSet rs = st.executeQuery("SELECT FLOOR(event_time TO DAY) AS event_time" + EVENTS
             + " AND event_time >= TIMESTAMP '2011-06-01 12:00:00' ORDER BY 1 LIMIT 1")) {
      assertTrue(rs.next());
      assertEquals("2011-06-01T00:00", rs.getTimestamp(1).toLocalDateTime().toString());
    }
  }

  @Test
  void computedTotalFiltersTheColumn() throws SQLException {
    same("SELECT total * 2 AS total" + ORDERS + " AND total > 1000 ORDER BY 1",
        "SELECT total * 2 AS doubled" + ORDERS + " AND total > 1000 ORDER BY doubled", "total");
  }

  @Test
  void groupedByALabelThatIsAColumn() throws SQLException {
    // Metabase's binning and DATE_TRUNC grains, Superset's grain labels
    same("SELECT FLOOR(price / 10) * 10 AS \"price\", COUNT(*) AS \"count\"" + EVENTS
            + " GROUP BY FLOOR(price / 10) * 10 ORDER BY 1",
        "SELECT floor(price / 10) * 10 AS bin, count() AS n" + EVENTS + " GROUP BY bin ORDER BY bin", "price");
    same("SELECT DATE_TRUNC('day', event_time) AS \"event_time\", COUNT(*) AS \"count\"" + EVENTS
            + " GROUP BY DATE_TRUNC('day', event_time) ORDER BY 1",
        "SELECT toStartOfDay(event_time) AS day_start, count() AS n" + EVENTS + " GROUP BY day_start ORDER BY day_start",
        "event_time");
    // an aggregate labelled with the column it sums, filtered on that column
    same("SELECT SUM(quantity) AS quantity, COUNT(*) AS n" + EVENTS + " AND quantity > 4",
        "SELECT sum(quantity) AS q, count() AS n" + EVENTS + " AND quantity > 4", "quantity");
  }
}
