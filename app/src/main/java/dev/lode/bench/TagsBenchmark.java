package dev.lode.bench;

import dev.lode.cli.TagsReport;
import dev.lode.config.LodeConfig;
import dev.lode.tags.TagService;
import dev.lode.warehouse.SqlLiteral;
import dev.lode.warehouse.Warehouse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * {@code bin/lode bench tags [events] [persons]}: the time of a full profile-and-tag
 * refresh over synthetic behavior (default 10 M events, 200 k persons, 60 days), then of
 * an incremental cycle after 1% more events arrive. The behavior is generated inside the
 * engine ({@code INSERT … SELECT … FROM numbers(N)}): sessions of 8 events, a favourite
 * category per person (some switch late), long-dwell sale browsers, purchase rates that
 * rise with engagement, 1% of persons withholding profiling consent.
 */
public final class TagsBenchmark implements Benchmark {
  private static final String CATEGORIES = "['sports','photography','garden','kitchen','books','toys','fashion','shoes',"
      + "'outdoor','audio','gaming','beauty']";

  @Override
  public String name() {
    return "tags";
  }

  @Override
  public String summary() {
    return "profile + tag refresh time over N synthetic events (default 10M), full and incremental";
  }

  @Override
  public void run(List<String> args) throws Exception {
    long events = args.isEmpty() ? 10_000_000L : Long.parseLong(args.get(0));
    long persons = args.size() < 2 ? 200_000L : Long.parseLong(args.get(1));
    if (events < persons || persons < 100) {
      throw new IllegalArgumentException("expects events >= persons >= 100, got " + events + " events, " + persons + " persons");
    }
    LodeConfig base = LodeConfig.load();
    Path dir = null;
    LodeConfig config = base;
    if (base.get("lode.warehouse.url").isEmpty()) {
      dir = Files.createTempDirectory("lode-bench-tags-");
      config = base.with("lode.data.dir", dir.toString());
    }
    Instant asOf = Instant.now();
    try (Warehouse w = Warehouse.open(config); Connection c = w.connect(); Statement st = c.createStatement()) {
      System.out.printf("bench tags: %,d events, %,d persons over 60 days, warehouse %s%n", events, persons,
          w.embedded() ? "embedded ClickHouse " + w.engine().orElseThrow().version() : w.jdbcUrl());
      System.out.println("  data: synthetic, generated in the engine (the demo simulator is not on this branch)");
      long t0 = System.nanoTime();
      generate(st, 0, events, persons, asOf.minus(Duration.ofMinutes(10)));
      st.execute("INSERT INTO consents (id_type, id_value, person_id, purpose, granted, recorded_at, source)"
          + " SELECT 'user_id', concat('p', toString(number)), concat('p', toString(number)), 'profiling', 0, now64(3), 'bench'"
          + " FROM numbers(" + persons + ") WHERE number % 100 = 7");
      System.out.printf("  generate: %,d ms%n", (System.nanoTime() - t0) / 1_000_000);
      try (ResultSet rs = st.executeQuery("SELECT count(), uniqExact(person_id) FROM events")) {
        rs.next();
        System.out.printf("  events table: %,d rows, %,d persons%n", rs.getLong(1), rs.getLong(2));
      }

      TagService service = TagService.open(w, config);
      System.out.println("full cycle (profiles full, every tag, model trained and scored):");
      TagService.Cycle full = service.refresh(asOf, List.of(), false, false);
      TagsReport.print(full);

      long more = events / 100;
      long t1 = System.nanoTime();
      generate(st, events, more, persons, asOf.plus(Duration.ofMinutes(1)));
      System.out.printf("incremental cycle after %,d more events (%,d ms to insert):%n", more,
          (System.nanoTime() - t1) / 1_000_000);
      TagService.Cycle inc = service.refresh(asOf.plus(Duration.ofMinutes(2)), List.of(), true, false);
      TagsReport.print(inc);
      try (ResultSet rs = st.executeQuery("SELECT tag_id, tagged, round(coverage, 4), round(conversion_lift, 3)"
          + " FROM tag_quality ORDER BY tag_id")) {
        System.out.println("tag_quality (tag, tagged, coverage, conversion lift):");
        while (rs.next()) {
          System.out.printf("  %-26s %,10d %8s %8s%n", rs.getString(1), rs.getLong(2), rs.getString(3), rs.getString(4));
        }
      }
    } finally {
      if (dir != null) {
        InsertBenchmark.deleteTree(dir);
      }
    }
  }

  // Event k of person p = (n / 50) % persons; 50 events per person spread over 60 days before 'end'.
  private static void generate(Statement st, long from, long count, long persons, Instant end) throws Exception {
    st.execute("INSERT INTO events (event_id, event_time, received_time, distinct_id, user_id, person_id, event_type,"
        + " event_name, session_id, url, item_id, category, price, quantity, revenue, dwell_ms, source)"
        + " SELECT concat('b', toString(n)), t, now64(3), pid, pid, pid, 'track', name, concat(pid, '-', toString(intDiv(j, 8))),"
        + " if(h % 5 = 0 OR p % 13 = 0 AND h % 2 = 0, concat('/sale/', cat), concat('/p/', cat)),"
        + " concat('i', toString(h % 5000)), cat, toDecimal64(10 + h % 90, 4), toInt32(name = 'purchase'),"
        + " if(name = 'purchase', toNullable(toDecimal64(10 + h % 90, 4)), NULL),"
        + " if(name IN ('page_view', 'product_view'), 1000 + cityHash64(n, 'd') % 60000 + if(p % 13 = 0, 60000, 0), 0), 'bench'"
        + " FROM (SELECT number AS n, intDiv(n, 50) % " + persons + " AS p, n % 50 AS j, concat('p', toString(p)) AS pid,"
        + " cityHash64(n, 'e') % 100 AS h,"
        + " multiIf(h < 50, 'product_view', h < 75, 'page_view', h < 85, 'add_to_cart',"
        + "         h < 85 + (p % 10) / 2 AND p % 13 != 0, 'purchase', 'click') AS name,"
        + " " + CATEGORIES + "[1 + if(cityHash64(n, 'c') % 10 < 7,"
        + "     (cityHash64(p) + if(j >= 40 AND p % 7 = 0, 5, 0)) % 12, cityHash64(n, 'c2') % 12)] AS cat,"
        + " " + SqlLiteral.timestamp(end) + " - toIntervalSecond((50 - j) * 103680 + cityHash64(n, 't') % 3600) AS t"
        + " FROM numbers(" + from + ", " + count + "))");
  }
}
