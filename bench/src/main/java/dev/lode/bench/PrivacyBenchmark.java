package dev.lode.bench;

import dev.lode.config.LodeConfig;
import dev.lode.erasure.Erasure;
import dev.lode.privacy.PrivacySettings;
import dev.lode.privacy.RoleDatabases;
import dev.lode.warehouse.Warehouse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * {@code bin/lode bench privacy [events] [repeats]}: what masking and erasure cost. The same
 * queries run side by side on the raw {@code events} table (what admins read) and on the
 * analysts' masked view over it, as a ratio; then one person is forgotten among N events
 * (resolution, synchronous deletes in every table, verification), timed.
 */
public final class PrivacyBenchmark implements Benchmark {
  private static final String[] QUERIES = {
      "SELECT count(), uniqExact(user_id) FROM %s.events",
      "SELECT country, uniqExact(distinct_id), count() FROM %s.events GROUP BY country ORDER BY country",
      "SELECT event_name, count() FROM %s.events WHERE event_name IN ('add_to_cart', 'purchase') GROUP BY event_name",
      "SELECT count() FROM %s.events WHERE ip = '10.0.0.7'"};

  @Override
  public String name() {
    return "privacy";
  }

  @Override
  public String summary() {
    return "masked (analyst) vs raw (admin) query time over N events, and the time to forget one person";
  }

  @Override
  public void run(List<String> args) throws Exception {
    int events = args.isEmpty() ? 2_000_000 : Integer.parseInt(args.get(0));
    int repeats = args.size() < 2 ? 5 : Integer.parseInt(args.get(1));
    LodeConfig base = LodeConfig.load();
    if (base.get("lode.warehouse.url").isPresent()) {
      throw new IllegalArgumentException("bench privacy runs on a fresh embedded warehouse; unset lode.warehouse.url");
    }
    Path dir = Files.createTempDirectory("lode-bench-privacy-");
    LodeConfig config = base.with("lode.data.dir", dir.toString());
    try (Warehouse w = Warehouse.open(config); Connection c = w.connect(); Statement st = c.createStatement()) {
      int persons = Math.max(1, events / 20);
      st.execute("INSERT INTO events (event_id, event_time, received_time, distinct_id, user_id, anonymous_id,"
          + " person_id, event_type, event_name, url, user_agent, ip, country, source) SELECT concat('e', toString(number)),"
          + " toDateTime64('2026-01-01 00:00:00', 3, 'UTC') + toIntervalSecond(number), now64(3),"
          + " concat('u', toString(number % " + persons + ")), concat('u', toString(number % " + persons + ")),"
          + " concat('a', toString(number % " + persons + ")), concat('p', toString(number % " + persons + ")), 'track',"
          + " ['page_view','product_view','add_to_cart','checkout','purchase'][number % 5 + 1],"
          + " concat('https://shop.example/p/', toString(number % 1000), '?email=u', toString(number % " + persons
          + "), '@example.com'), 'Mozilla/5.0', concat('10.0.', toString(number % 256), '.', toString(number % 7)),"
          + " ['UK','FR','DE','NL'][number % 4 + 1], 'bench' FROM numbers(" + events + ")");
      st.execute("INSERT INTO persons (person_id, created_at, updated_at, email, phone) SELECT concat('p', toString(number)),"
          + " now64(3), now64(3), concat('u', toString(number), '@example.com'), concat('+44', toString(number))"
          + " FROM numbers(" + persons + ")");
      st.execute("INSERT INTO identities (id_type, id_value, person_id, first_seen, updated_at) SELECT 'user_id',"
          + " concat('u', toString(number)), concat('p', toString(number)), now64(3), now64(3) FROM numbers(" + persons + ")");
      PrivacySettings settings = PrivacySettings.of(config);
      RoleDatabases dbs = new RoleDatabases(w, settings);
      long t0 = System.nanoTime();
      dbs.refresh();
      double refreshMs = (System.nanoTime() - t0) / 1e6;
      System.out.printf("bench privacy: %,d events, %,d persons, %d repeats, embedded ClickHouse %s%n", events, persons,
          repeats, w.engine().orElseThrow().version());
      System.out.printf("  role databases rebuilt from the catalog in %.0f ms%n", refreshMs);
      System.out.println("  query (same SQL on the raw table and on the analysts' masked view; median ms)");
      for (String q : QUERIES) {
        double[] raw = new double[repeats];
        double[] masked = new double[repeats];
        for (int r = 0; r < repeats; r++) {
          raw[r] = time(st, String.format(q, w.database()));
          masked[r] = time(st, String.format(q, dbs.analystDatabase()));
        }
        double a = median(raw);
        double b = median(masked);
        System.out.printf("    raw %8.1f  masked %8.1f  ratio %5.2f   %s%n", a, b, b / a, String.format(q, "…"));
      }
      Erasure erasure = new Erasure(w, settings, List.of(), 10);
      long t1 = System.nanoTime();
      Erasure.Report report = erasure.forget("u7@example.com", "bench");
      double forgetMs = (System.nanoTime() - t1) / 1e6;
      System.out.printf("  forget one person (by email) among %,d events: %.0f ms, %s, deleted %s%n", events, forgetMs,
          report.status(), report.deleted().entrySet().stream().filter(e -> e.getValue() > 0).toList());
    } finally {
      deleteTree(dir);
    }
  }

  private static double time(Statement st, String sql) throws SQLException {
    long t = System.nanoTime();
    try (ResultSet rs = st.executeQuery(sql)) {
      while (rs.next()) {
        rs.getString(1);
      }
    }
    return (System.nanoTime() - t) / 1e6;
  }

  private static double median(double[] v) {
    double[] s = v.clone();
    Arrays.sort(s);
    return s[s.length / 2];
  }

  private static void deleteTree(Path dir) throws java.io.IOException {
    try (var paths = Files.walk(dir)) {
      List<Path> all = new ArrayList<>(paths.toList());
      java.util.Collections.reverse(all);
      for (Path p : all) {
        Files.deleteIfExists(p);
      }
    }
  }
}
