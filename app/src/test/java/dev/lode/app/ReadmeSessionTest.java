package dev.lode.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lode.config.LodeConfig;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's first session, command by command through {@code bin/lode}, on a fresh data
 * directory whose first {@code serve} loads the demo (the bundled Online Retail sample and a small
 * simulation): each command exits 0 with output that agrees with the warehouse asked natively.
 */
class ReadmeSessionTest {
  @TempDir
  Path home;

  @Test
  void theFirstSessionWorksAsWritten() throws Exception {
    LodeCli cli = new LodeCli(home, List.of("-Dlode.demo.enabled=true", "-Dlode.demo.size=20000",
        "-Dlode.demo.online-retail=" + home.resolve("no-such-file.csv.gz")));
    try (LodeCli.Server server = cli.serve()) {
      // the banner's demo line follows the credentials line the helper stops at; status tells the state
      LodeCli.Result status = cli.launch(home, "status");
      assertEquals(0, status.code(), status.out());
      assertTrue(status.out().contains("demo data     loading (since ") || status.out().contains("not loaded")
          || status.out().contains("demo data     ready"), status.out());
      // wait for what status reads (DemoDataset's state of the data directory) without a JVM per look
      LodeConfig data = LodeConfig.of(Map.of("lode.data.dir", home.resolve("data").toString()));
      long deadline = System.nanoTime() + 300_000_000_000L;
      while (!DemoDataset.state(data).equals("ready") && System.nanoTime() < deadline) {
        Thread.sleep(200);
      }
      status = cli.launch(home, "status");
      assertEquals(0, status.code(), status.out());
      assertTrue(status.out().contains("demo data     ready"), status.out());

      LodeCli.Result events = cli.launch(home, "sql", "--format", "csv",
          "SELECT event_name, count(*) AS n FROM events GROUP BY event_name ORDER BY n DESC");
      assertEquals(0, events.code(), events.out());
      long total = events.out().lines().skip(1).mapToLong(l -> Long.parseLong(l.substring(l.lastIndexOf(',') + 1)))
          .sum();
      LodeCli.Result nativeTotal = cli.launch(home, "sql", "--native", "--format", "csv", "SELECT count() AS n FROM events FINAL");
      assertEquals("n\n" + total + "\n", nativeTotal.out(), events.out());
      assertTrue(total > 0 && events.out().contains("product_view,"), events.out());

      LodeCli.Result funnel = cli.launch(home, "sql", "--format", "csv",
          "SELECT * FROM TABLE(funnel('product_view,add_to_cart,purchase', 3600))");
      assertEquals(0, funnel.code(), funnel.out());
      List<String> steps = funnel.out().lines().skip(1).toList();
      assertEquals(3, steps.size(), funnel.out());
      long first = Long.parseLong(steps.get(0).split(",")[3]);
      long last = Long.parseLong(steps.get(2).split(",")[3]);
      assertTrue(first > 0 && last <= first, funnel.out());

      LodeCli.Result retention = cli.launch(home, "sql", "SELECT * FROM TABLE(retention('page_view', 'purchase', 'week', 4))");
      assertEquals(0, retention.code(), retention.out());
      assertTrue(!retention.out().contains("(0 rows)"), retention.out());

      Path file = home.resolve("online-retail.csv.gz");
      try (InputStream in = ReadmeSessionTest.class.getResourceAsStream("/lode/demo/online-retail-sample.csv.gz")) {
        Files.copy(in, file);
      }
      long records;
      try (InputStream in = new java.util.zip.GZIPInputStream(Files.newInputStream(file))) {
        records = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8).strip().lines().count() - 1;
      }
      // the README loads the Online Retail file the demo loaded (here the bundled sample: the demo's file is pinned
      // to one that does not exist); the same bytes with the same mapping add nothing, and the load says so
      String ordersBefore = cli.launch(home, "sql", "--native", "--format", "csv", "SELECT count() AS n FROM orders FINAL")
          .out();
      LodeCli.Result load = cli.launch(home, "load", "orders", file.toString(), "--mapping", "online-retail");
      assertEquals(0, load.code(), load.out());
      assertTrue(load.out().contains(String.format("online-retail.csv.gz: already loaded as orders with this mapping;"
          + " %,d records skipped as duplicates, nothing added", records))
          && load.out().contains("identity resolution: "), load.out());
      assertEquals(ordersBefore, cli.launch(home, "sql", "--native", "--format", "csv",
          "SELECT count() AS n FROM orders FINAL").out(), "a file loaded again adds no order");

      LodeCli.Result refresh = cli.launch(home, "tags", "refresh");
      assertEquals(0, refresh.code(), refresh.out());
      assertTrue(refresh.out().contains("profiles ") && !refresh.out().contains("FAILED"), refresh.out());
      // the bundled sample's last 14 days of sales have one buyer (its stray August orders): the model tag says it
      // is not trained, with the counts, instead of failing the refresh
      assertTrue(refresh.out().lines().anyMatch(l -> l.startsWith("tag purchase_propensity")
          && l.contains("NOT TRAINED") && l.contains(" positive and ")), refresh.out());
      LodeCli.Result tags = cli.launch(home, "tags", "list");
      assertEquals(0, tags.code(), tags.out());
      assertTrue(tags.out().lines().count() > 3, tags.out());

      Path out = home.resolve("reports");
      LodeCli.Result report = cli.launch(home, "report", "run", "daily_kpi", "--format", "html", "--format", "csv", "--out",
          out.toString());
      assertEquals(0, report.code(), report.out());
      assertTrue(report.out().contains("report daily_kpi: 7 rows"), report.out());
      List<String> rows = Files.readAllLines(out.resolve("daily_kpi").resolve("latest.csv"));
      // columns by their header's names: the report's layout is the report's own
      List<String> header = List.of(rows.get(0).split(","));
      int ordersAt = header.indexOf("orders");
      int visitorsAt = header.indexOf("visitors");
      assertTrue(ordersAt > 0 && visitorsAt > 0, rows.get(0));
      long orders = rows.stream().skip(1).mapToLong(l -> Long.parseLong(l.split(",")[ordersAt])).sum();
      long visitors = rows.stream().skip(1).mapToLong(l -> Long.parseLong(l.split(",")[visitorsAt])).sum();
      String from = rows.get(1).split(",")[0];
      String to = rows.get(rows.size() - 1).split(",")[0];
      LodeCli.Result nativeOrders = cli.launch(home, "sql", "--native", "--format", "csv", "SELECT count() AS n FROM orders FINAL"
          + " WHERE status = 'completed' AND toDate(order_time) BETWEEN '" + from + "' AND '" + to + "'");
      assertEquals("n\n" + orders + "\n", nativeOrders.out(), String.join("\n", rows));
      assertTrue(visitors > 0, "the data's last week, not an empty one: " + String.join("\n", rows));
      // reports count their periods back from the newest event (docs/reports.md: the sample's stray late orders
      // would otherwise leave the week empty)
      LodeCli.Result newest = cli.launch(home, "sql", "--native", "--format", "csv",
          "SELECT toString(toDate(max(event_time))) AS d FROM events");
      assertEquals("d\n" + to + "\n", newest.out(), "the report ends on the newest day with events");
      assertTrue(Files.isRegularFile(out.resolve("daily_kpi").resolve("latest.html")), report.out());
    }
  }
}
