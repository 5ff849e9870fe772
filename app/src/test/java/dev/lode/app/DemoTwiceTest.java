package dev.lode.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lode.config.LodeConfig;
import dev.lode.testing.TestWarehouse;
import dev.lode.warehouse.Warehouse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Loading the demo dataset twice into a fresh warehouse leaves the same rows as loading it once,
 * counted without FINAL (what a plain {@code count(*)}, a path or a funnel sees before merges):
 * in the JVM, and as a user runs it, {@code bin/lode demo} twice.
 */
class DemoTwiceTest {
  @TempDir
  Path home;

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

  @Test
  void bin_lode_demoTwiceLeavesTheSameCounts() throws Exception {
    // the bundled sample whatever lies beside the home (a shared Online Retail file would take minutes)
    Files.createDirectories(home.resolve("conf"));
    Files.writeString(home.resolve("conf").resolve("lode.properties"),
        "lode.demo.online-retail=" + home.resolve("no-such-file.csv.gz") + "\n");
    LodeCli cli = new LodeCli(home);
    String countsSql = "SELECT " + String.join(", ", TABLES.stream().map(t -> "(SELECT count() FROM " + t + ") AS " + t)
        .toList()) + ", (SELECT count() FROM events FINAL) AS events_final";
    LodeCli.Result first = cli.launch(home, "demo", "--size", "20k");
    assertEquals(0, first.code(), first.out());
    LodeCli.Result once = cli.launch(home, "sql", "--native", "--format", "csv", countsSql);
    assertEquals(0, once.code(), once.out());
    List<String> values = List.of(once.out().lines().skip(1).findFirst().orElseThrow().split(","));
    assertTrue(Long.parseLong(values.get(0)) >= 20_000, once.out());
    assertEquals(values.get(0), values.get(values.size() - 1), "events with and without FINAL: " + once.out());
    LodeCli.Result second = cli.launch(home, "demo", "--size", "20k");
    assertEquals(0, second.code(), second.out());
    LodeCli.Result twice = cli.launch(home, "sql", "--native", "--format", "csv", countsSql);
    assertEquals(once.out(), twice.out(), "bin/lode demo a second time replaces the first one's rows");
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
