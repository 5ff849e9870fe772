package dev.lode.bench;

import dev.lode.config.LodeConfig;
import dev.lode.load.BatchLoader;
import dev.lode.load.LoadKind;
import dev.lode.load.MappingSpec;
import dev.lode.simulate.BehaviorSimulator;
import dev.lode.app.DemoDataset;
import dev.lode.warehouse.Warehouse;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import java.util.Optional;

/**
 * {@code bin/lode bench simulate [events] [seed]}: seconds and events/s for the behavior
 * simulator writing N events (default 10M) into a fresh warehouse holding the Online
 * Retail customers and items (or the bundled sample), then the funnel by persona, misclick
 * and bot figures read back from its output, to show what it simulated.
 */
public final class SimulateBenchmark implements Benchmark {
  @Override
  public String name() {
    return "simulate";
  }

  @Override
  public String summary() {
    return "events/s of the behavior simulator (default 10M events) and the funnels its output shows";
  }

  @Override
  public void run(List<String> args) throws Exception {
    long events = args.isEmpty() ? 10_000_000 : DemoDataset.parseSize(args.get(0));
    long seed = args.size() < 2 ? 42 : Long.parseLong(args.get(1));
    LodeConfig base = LodeConfig.load();
    Path dir = null;
    LodeConfig config = base;
    if (base.get("lode.warehouse.url").isEmpty()) {
      dir = Files.createTempDirectory("lode-bench-simulate-");
      config = base.with("lode.data.dir", dir.toString());
    }
    try (Warehouse w = Warehouse.open(config); Connection c = w.connect(); Statement st = c.createStatement()) {
      Optional<Path> retail = DemoDataset.onlineRetail(base);
      Path file = retail.orElse(null);
      if (file == null) {
        file = Files.createTempFile("lode-sample-", ".csv.gz");
        try (InputStream in = DemoDataset.class.getResourceAsStream("/lode/demo/online-retail-sample.csv.gz")) {
          Files.copy(in, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
      }
      new BatchLoader(w).load(file, LoadKind.ORDERS, MappingSpec.resolve("online-retail"),
          BatchLoader.Options.defaults());
      System.out.printf("bench simulate: %,d events, seed %d, customers and items from %s, warehouse %s, %d cores%n",
          events, seed, retail.isPresent() ? file.getFileName() : "the bundled sample",
          w.embedded() ? "embedded ClickHouse " + w.engine().orElseThrow().version() : w.jdbcUrl(),
          Runtime.getRuntime().availableProcessors());
      long cpu0 = ProcessCpu.nanos();
      BehaviorSimulator.Result r = new BehaviorSimulator(w).simulate(
          new BehaviorSimulator.Spec(seed, events, null, null), n -> { });
      double cpu = (ProcessCpu.nanos() - cpu0) / 1e9;
      System.out.println("  " + r.toText());
      System.out.printf("  process CPU %.1f s (engine included) = %,.0f events per CPU-second; load average %.1f%n", cpu,
          r.events() / cpu, ProcessCpu.loadAverage());
      System.out.printf("  events: %,d in %.1f s = %,.0f events/s (INSERT … SELECT over numbers() in the engine)%n",
          r.events(), r.eventSeconds(), r.eventsPerSecond());
      if (events >= 10_000_000) {
        System.out.printf("  target 10M events in under 120 s: %s%n",
            r.eventSeconds() * 10_000_000.0 / r.events() < 120 ? "met" : "NOT met");
      }
      System.out.println("  funnel by persona (sessions reaching each step, windowFunnel over 1 day):");
      print(st, "SELECT persona, countIf(level >= 1) AS product_view, countIf(level >= 2) AS add_to_cart,"
          + " countIf(level >= 3) AS checkout, countIf(level >= 4) AS purchase, countIf(level IN (2, 3)) AS abandoned_cart,"
          + " round(countIf(level >= 4) / countIf(level >= 1), 3) AS conversion FROM (SELECT session_id,"
          + " any(properties['sim_persona']) AS persona, windowFunnel(86400)(toDateTime(event_time),"
          + " event_name = 'product_view', event_name = 'add_to_cart', event_name = 'checkout', event_name = 'purchase')"
          + " AS level FROM events WHERE source = 'simulator' GROUP BY session_id) GROUP BY persona ORDER BY persona");
      System.out.println("  browsing by persona:");
      print(st, "SELECT properties['sim_persona'] AS persona, round(avgIf(toFloat64(price), event_name = 'product_view'), 2)"
          + " AS avg_viewed_price, round(avgIf(dwell_ms, event_name = 'product_view') / 1000, 1) AS avg_view_s,"
          + " round(countIf(event_name = 'product_view' AND dwell_ms < 2000) / countIf(event_name = 'product_view'), 3)"
          + " AS misclick_share FROM events WHERE source = 'simulator' GROUP BY persona ORDER BY persona");
      System.out.println("  data_quality (simulator rows):");
      print(st, "SELECT check, dimension, value, total, round(share, 4) AS share FROM data_quality WHERE dimension ="
          + " 'simulator' ORDER BY check");
    } finally {
      if (dir != null) {
        InsertBenchmark.deleteTree(dir);
      }
    }
  }

  private static void print(Statement st, String sql) throws Exception {
    try (ResultSet rs = st.executeQuery(sql)) {
      int n = rs.getMetaData().getColumnCount();
      StringBuilder h = new StringBuilder("    ");
      for (int i = 1; i <= n; i++) {
        h.append(String.format("%-18s", rs.getMetaData().getColumnLabel(i)));
      }
      System.out.println(h);
      while (rs.next()) {
        StringBuilder b = new StringBuilder("    ");
        for (int i = 1; i <= n; i++) {
          b.append(String.format("%-18s", rs.getString(i)));
        }
        System.out.println(b);
      }
    }
  }
}
