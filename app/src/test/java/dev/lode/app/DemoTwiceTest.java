package dev.lode.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lode.config.LodeConfig;
import dev.lode.testing.TestWarehouse;
import dev.lode.warehouse.Warehouse;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Loading the demo dataset twice into a fresh warehouse leaves the same rows as loading it once,
 * counted without FINAL (what a plain {@code count(*)}, a path or a funnel sees before merges).
 */
class DemoTwiceTest {
  private static final List<String> TABLES = List.of("events", "orders", "order_lines", "items", "tickets",
      "campaigns", "campaign_sends", "campaign_responses", "crm_contacts", "persons", "identities");

  @Test
  void secondDemoLoadAddsNothing() throws Exception {
    Warehouse w = TestWarehouse.isolated("demo_twice");
    LodeConfig config = TestWarehouse.config()
        .with("lode.data.dir", TestWarehouse.freshDir("demo-twice").toString())
        .with("lode.demo.online-retail", "no-such-dir/online-retail.csv.gz");
    DemoDataset.load(w, config, 30_000, line -> { });
    Map<String, Long> once = counts(w);
    assertTrue(once.get("events") >= 30_000 && once.get("tickets") > 0 && once.get("campaign_responses") > 0, once.toString());
    // counted right after the load: a background merge folds a duplicate away only later, if at all
    // (SYSTEM STOP MERGES would also stop the deletes that replace a run's rows)
    DemoDataset.load(w, config, 30_000, line -> { });
    assertEquals(once, counts(w), "the second load replaces the first one's rows");
    try (Connection c = w.connect(); Statement st = c.createStatement()) {
      assertEquals(once.get("events"), scalar(st, "SELECT count() FROM events FINAL"), "no duplicate left for FINAL to fold");
      // the repeated add_to_cart → add_to_cart step of duplicated rows: a simulated session carts once
      assertEquals(0, scalar(st, "SELECT count() FROM (SELECT session_id FROM events WHERE event_name = 'add_to_cart'"
          + " GROUP BY session_id HAVING count() > 1)"));
    }
  }

  private static Map<String, Long> counts(Warehouse w) throws SQLException {
    Map<String, Long> out = new LinkedHashMap<>();
    try (Connection c = w.connect(); Statement st = c.createStatement()) {
      for (String t : TABLES) {
        out.put(t, scalar(st, "SELECT count() FROM " + t));
      }
    }
    return out;
  }

  private static long scalar(Statement st, String sql) throws SQLException {
    try (ResultSet rs = st.executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    }
  }
}
