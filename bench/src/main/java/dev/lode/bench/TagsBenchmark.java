package dev.lode.bench;

import dev.lode.cli.TagsReport;
import dev.lode.config.LodeConfig;
import dev.lode.simulate.BehaviorSimulator;
import dev.lode.app.DemoDataset;
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
 * {@code bin/lode bench tags [events] [demo|synthetic]}: the time of a full
 * profile-and-tag refresh (every tag, the model trained and scored) over the demo dataset
 * at N events (default 10 M: Online Retail purchases, the behavior simulator, identity
 * resolution), then of an incremental cycle after 1% more events arrive. {@code synthetic}
 * generates simpler behavior instead ({@code INSERT … SELECT … FROM numbers(N)}, 50 events
 * per person over 60 days: a favourite category per person, some switching late,
 * long-dwell sale browsers, purchase rates rising with engagement). In both, 1% of
 * persons withhold profiling consent. Tags are computed as of the newest event.
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
    long events = args.isEmpty() ? 10_000_000L : DemoDataset.parseSize(args.get(0));
    boolean synthetic = args.size() >= 2 && args.get(1).equals("synthetic");
    if (args.size() >= 2 && !synthetic && !args.get(1).equals("demo")) {
      throw new IllegalArgumentException("the second argument is demo (default) or synthetic, got '" + args.get(1) + "'");
    }
    long persons = Math.max(100, events / 50);
    LodeConfig base = LodeConfig.load();
    Path dir = null;
    LodeConfig config = base;
    if (base.get("lode.warehouse.url").isEmpty()) {
      dir = Files.createTempDirectory("lode-bench-tags-");
      config = base.with("lode.data.dir", dir.toString());
    }
    Instant now = Instant.now();
    try (Warehouse w = Warehouse.open(config); Connection c = w.connect(); Statement st = c.createStatement()) {
      System.out.printf("bench tags: %s dataset, %,d events, warehouse %s%n", synthetic ? "synthetic" : "demo", events,
          w.embedded() ? "embedded ClickHouse " + w.engine().orElseThrow().version() : w.jdbcUrl());
      System.out.printf("  machine: %d cores, load average %.1f at start%n", Runtime.getRuntime().availableProcessors(),
          java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
      long t0 = System.nanoTime();
      if (synthetic) {
        generate(st, 0, events, persons, now.minus(Duration.ofMinutes(10)));
      } else {
        DemoDataset.load(w, config, events, line -> System.out.println("  " + line));
      }
      // 1% of persons withhold profiling consent
      st.execute("INSERT INTO consents (id_type, id_value, person_id, purpose, granted, recorded_at, source)"
          + " SELECT 'person', person_id, person_id, 'profiling', 0, now64(3), 'bench'"
          + " FROM (SELECT DISTINCT person_id FROM profile_events) WHERE cityHash64(person_id) % 100 = 7");
      System.out.printf("  data ready in %,d ms%n", (System.nanoTime() - t0) / 1_000_000);
      Instant asOf;
      try (ResultSet rs = st.executeQuery("SELECT count(), uniqExact(person_id),"
          + " toUnixTimestamp64Milli(max(event_time)) FROM profile_events")) {
        rs.next();
        asOf = Instant.ofEpochMilli(rs.getLong(3) + 1);
        System.out.printf("  profile_events: %,d events of %,d persons; tags as of the newest event, %s%n",
            rs.getLong(1), rs.getLong(2), asOf);
      }

      TagService service = TagService.open(w, config);
      System.out.println("full cycle (profiles full, every tag, model trained and scored):");
      TagService.Cycle full = service.refresh(asOf, List.of(), false, false);
      TagsReport.print(full);
      // what the bot rule kept out of profiles and tags, and what the full refresh's evaluation of it costs
      long tb = System.nanoTime();
      dev.lode.profiles.ProfileRefresher.flagBotSessions(st, null);
      long flagMs = (System.nanoTime() - tb) / 1_000_000;
      try (ResultSet rs = st.executeQuery("SELECT count(), (SELECT count() FROM events WHERE session_id IN"
          + " (SELECT session_id FROM bot_sessions FINAL WHERE is_bot = 1)) FROM bot_sessions FINAL WHERE is_bot = 1")) {
        rs.next();
        System.out.printf("bot sessions: %,d flagged, their %,d events left out of profiles and tags; evaluating every"
            + " session again (part of a full profile refresh) %,d ms%n", rs.getLong(1), rs.getLong(2), flagMs);
      }
      if (!synthetic) {
        // the simulator labels its bots (properties['sim_persona'] = 'bot'): how well the rule finds them
        try (ResultSet rs = st.executeQuery("SELECT uniqExactIf(session_id, bot), uniqExactIf(session_id, bot AND flagged),"
            + " uniqExactIf(session_id, NOT bot AND flagged) FROM (SELECT session_id, properties['sim_persona'] = 'bot' AS bot,"
            + " session_id IN (SELECT session_id FROM bot_sessions FINAL WHERE is_bot = 1) AS flagged"
            + " FROM events WHERE source = 'simulator' AND session_id != '')")) {
          rs.next();
          System.out.printf("  against the simulator's labels: %,d of %,d bot sessions flagged, %,d human sessions"
              + " flagged%n", rs.getLong(2), rs.getLong(1), rs.getLong(3));
        }
      }

      long more = events / 100;
      long t1 = System.nanoTime();
      if (synthetic) {
        generate(st, events, more, persons, now.minus(Duration.ofMinutes(1)));
      } else {
        new BehaviorSimulator(w).simulate(new BehaviorSimulator.Spec(4242, more, null, null), x -> { });
      }
      System.out.printf("incremental cycle after %,d more events (%,d ms to insert):%n", more,
          (System.nanoTime() - t1) / 1_000_000);
      TagService.Cycle inc = service.refresh(asOf, List.of(), true, false);
      TagsReport.print(inc);
      System.out.printf("  load average %.1f at the end%n",
          java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
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
