package dev.lode.bench;

import dev.lode.app.LodeServer;
import dev.lode.config.Credentials;
import dev.lode.config.LodeConfig;
import dev.lode.identity.IdentityResolver;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.apache.calcite.runtime.Hook;

/**
 * {@code bin/lode bench sql [events] [repeats] [dashboard-seconds]}: funnel, retention and
 * paths over N simulated events (default 10M, generated inside the engine with
 * {@code INSERT … SELECT … FROM numbers(N)} and deterministic hashes; a fifth of the persons
 * log in on some of their events, so identity resolution — run once over the generated
 * events — merges their anonymous and user ids), each timed end to end through the Avatica
 * JDBC driver as an analyst against a running Lode server, next to the very ClickHouse SQL
 * that query pushed down, sent straight to the warehouse over clickhouse-jdbc. Runs alternate
 * between the two; p50, best and the p50 ratio are printed with the load average. Then ten
 * Avatica clients run dashboard queries for the given seconds and the errors are counted.
 *
 * <p>Generating 10M events takes minutes: {@code -Dlode.bench.sql.data-dir=DIR} keeps the
 * data directory and reuses the events it already holds on the next run.
 */
public final class SqlBenchmark implements Benchmark {
  private static final Map<String, String> QUERIES = new LinkedHashMap<>();

  static {
    QUERIES.put("funnel", "SELECT * FROM TABLE(funnel('page_view,product_view,add_to_cart,checkout,purchase', 86400))");
    QUERIES.put("retention", "SELECT * FROM TABLE(retention('page_view', 'purchase', 'day', 7))");
    QUERIES.put("paths", "SELECT * FROM TABLE(paths('add_to_cart', 'after', 3))");
    // the same funnel over a day without events: what the SQL layer adds to every query (planning, protocol)
    QUERIES.put("fixed cost", "SELECT * FROM TABLE(funnel('page_view,product_view,add_to_cart,checkout,purchase',"
        + " 86400, 'ordered', '2020-01-01', '2020-01-02'))");
  }

  @Override
  public String name() {
    return "sql";
  }

  @Override
  public String summary() {
    return "funnel/retention/paths latency through Avatica vs the same native ClickHouse SQL, and 10 concurrent clients";
  }

  @Override
  public void run(List<String> args) throws Exception {
    long events = args.isEmpty() ? 10_000_000L : Long.parseLong(args.get(0));
    int repeats = args.size() < 2 ? 7 : Integer.parseInt(args.get(1));
    int dashboardSeconds = args.size() < 3 ? 60 : Integer.parseInt(args.get(2));
    LodeConfig base = LodeConfig.load();
    Path dir = null;
    // no background jobs competing with the timed queries (identity resolution runs once, below)
    LodeConfig config = base.with("lode.http.port", "0").with("lode.sql.timeout-seconds", "600")
        .with("lode.sql.max-rows", "10000000").with("lode.demo.enabled", "false")
        .with("lode.identity.interval-seconds", "0").with("lode.reports.scheduler.enabled", "false")
        .with("lode.tags.refresh-interval-seconds", "0").with("lode.recommend.refresh-minutes", "0");
    Path kept = base.get("lode.bench.sql.data-dir").filter(d -> !d.isBlank()).map(Path::of).orElse(null);
    if (base.get("lode.warehouse.url").isEmpty()) {
      if (kept != null) {
        Files.createDirectories(kept);
        config = config.with("lode.data.dir", kept.toString());
      } else {
        dir = Files.createTempDirectory("lode-bench-sql-");
        config = config.with("lode.data.dir", dir.toString());
      }
    }
    List<String> generated = new CopyOnWriteArrayList<>();
    Consumer<Object> capture = sql -> generated.add(String.valueOf(sql));
    @SuppressWarnings("deprecation") // process-wide: the server plans on its own threads
    Hook.Closeable hook = Hook.QUERY_PLAN.add(capture);
    try (LodeServer server = LodeServer.start(config)) {
      long persons = Math.max(1, events / 50);
      System.out.printf("bench sql: %,d events over %,d persons and 30 days, generated in-engine; %d timed runs per"
          + " side, alternating; warehouse %s%n", events, persons, repeats,
          server.context().warehouse().embedded() ? "embedded ClickHouse "
              + server.context().warehouse().engine().orElseThrow().version() : server.context().warehouse().jdbcUrl());
      long present = benchEvents(server);
      if (present == events) {
        System.out.printf("  reusing the %,d events already in %s%n", present, kept);
      } else if (present > 0) {
        throw new IllegalStateException("the warehouse holds " + present + " bench events, not " + events
            + "; give another lode.bench.sql.data-dir");
      } else {
        long t0 = System.nanoTime();
        generate(server, events, persons);
        System.out.printf("  generated in %.1f s%n", (System.nanoTime() - t0) / 1e9);
        t0 = System.nanoTime();
        String summary = new IdentityResolver(server.context().warehouse(), config).resolve().toText();
        System.out.printf("  %s (%.1f s)%n", summary, (System.nanoTime() - t0) / 1e9);
      }
      Credentials.User analyst = server.context().credentials().users().values().stream()
          .filter(u -> u.role() == Credentials.Role.ANALYST).findFirst().orElseThrow();
      String url = "jdbc:avatica:remote:url=" + server.url() + "/avatica;serialization=protobuf;authentication=BASIC";
      Properties p = new Properties();
      p.setProperty("avatica_user", analyst.name());
      p.setProperty("avatica_password", analyst.password());
      System.out.printf("  %-10s %14s %14s %8s %12s %12s %10s  %s%n", "query", "avatica p50", "native p50", "ratio",
          "avatica best", "native best", "rows", "load avg");
      try (Connection avatica = DriverManager.getConnection(url, p); Statement a = avatica.createStatement();
           Connection direct = server.context().warehouse().connect(); Statement n = direct.createStatement()) {
        for (var q : QUERIES.entrySet()) {
          generated.clear();
          long rows = drain(a, q.getValue()); // warm-up, and the SQL it pushes down
          // the longest pushed down meanwhile: the server may plan its own short warm-up query at the same time
          String nativeSql = generated.stream().max(java.util.Comparator.comparingInt(String::length)).orElseThrow();
          long nativeRows = drain(n, nativeSql);
          if (rows != nativeRows) {
            throw new IllegalStateException(q.getKey() + ": " + rows + " rows through Avatica, " + nativeRows + " native");
          }
          double[] av = new double[repeats];
          double[] na = new double[repeats];
          for (int r = 0; r < repeats; r++) {
            long s = System.nanoTime();
            drain(a, q.getValue());
            av[r] = (System.nanoTime() - s) / 1e6;
            s = System.nanoTime();
            drain(n, nativeSql);
            na[r] = (System.nanoTime() - s) / 1e6;
          }
          double pa = InsertBenchmark.median(av);
          double pn = InsertBenchmark.median(na);
          System.out.printf("  %-10s %11.0f ms %11.0f ms %8.2f %9.0f ms %9.0f ms %10d  %.1f%n", q.getKey(), pa, pn,
              pa / pn, java.util.Arrays.stream(av).min().orElse(0), java.util.Arrays.stream(na).min().orElse(0), rows,
              java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
        }
      }
      if (dashboardSeconds > 0) {
        dashboards(url, p, dashboardSeconds);
      }
      System.out.println("  avatica = Avatica remote JDBC (protobuf over HTTP) -> Calcite -> clickhouse-jdbc -> ClickHouse,"
          + " including planning and fetching every row; native = the SQL Calcite pushed down, sent over clickhouse-jdbc");
    } finally {
      hook.close();
      if (dir != null) {
        InsertBenchmark.deleteTree(dir);
      }
    }
  }

  private static long benchEvents(LodeServer server) throws SQLException {
    try (Connection c = server.context().warehouse().connect(); Statement st = c.createStatement();
         ResultSet rs = st.executeQuery("SELECT count() FROM events WHERE source = 'bench'")) {
      rs.next();
      return rs.getLong(1);
    }
  }

  /**
   * Simulated clickstream: persons browse, some add to cart, fewer check out and purchase; every fifth person
   * sends about half their events logged in (distinct_id = user_id, with their anonymous_id), which links
   * their two ids; deterministic hashes.
   */
  private static void generate(LodeServer server, long events, long persons) throws SQLException {
    try (Connection c = server.context().warehouse().connect(); Statement st = c.createStatement()) {
      String person = "cityHash64(number, 2) % " + persons;
      String loggedIn = "(" + person + ") % 5 = 0 AND cityHash64(number, 6) % 2 = 0";
      st.execute("INSERT INTO events (event_id, event_time, received_time, distinct_id, anonymous_id, user_id,"
          + " event_name, country, page, source) SELECT toString(number), toDateTime64('2026-01-01 00:00:00', 3, 'UTC')"
          + " + toIntervalMillisecond(cityHash64(number, 1) % (30 * 86400000)), now64(3),"
          + " if(" + loggedIn + ", concat('u', toString(" + person + ")), concat('p', toString(" + person + "))),"
          + " concat('p', toString(" + person + ")), if(" + loggedIn + ", concat('u', toString(" + person + ")), ''),"
          + " multiIf(cityHash64(number, 3) % 100 < 55, 'page_view', cityHash64(number, 3) % 100 < 80, 'product_view',"
          + " cityHash64(number, 3) % 100 < 92, 'add_to_cart', cityHash64(number, 3) % 100 < 97, 'checkout', 'purchase'),"
          + " ['UK', 'FR', 'DE', 'US', 'NL'][cityHash64(number, 4) % 5 + 1],"
          + " concat('/p/', toString(cityHash64(number, 5) % 1000)), 'bench' FROM numbers(" + events + ")");
      st.execute("OPTIMIZE TABLE events FINAL");
    }
  }

  private static long drain(Statement st, String sql) throws SQLException {
    long rows = 0;
    try (ResultSet rs = st.executeQuery(sql)) {
      int n = rs.getMetaData().getColumnCount();
      while (rs.next()) {
        for (int i = 1; i <= n; i++) {
          rs.getObject(i);
        }
        rows++;
      }
    }
    return rows;
  }

  private static void dashboards(String url, Properties p, int seconds) throws Exception {
    List<String> dashboard = List.of(
        "SELECT * FROM TABLE(event_trends('purchase', 'day', '2026-01-01', '2026-02-01'))",
        "SELECT event_name, COUNT(*), COUNT(DISTINCT distinct_id) FROM events WHERE country = 'UK' GROUP BY event_name",
        "SELECT DATE_TRUNC('week', event_time) AS w, COUNT(*) FROM events WHERE event_name = 'purchase' GROUP BY"
            + " DATE_TRUNC('week', event_time) ORDER BY w",
        "SELECT * FROM TABLE(funnel('product_view,add_to_cart,purchase', 3600, 'ordered', '2026-01-10', '2026-01-12'))");
    ExecutorService pool = Executors.newFixedThreadPool(10);
    AtomicLong queries = new AtomicLong();
    List<Throwable> errors = new CopyOnWriteArrayList<>();
    List<Double> latencies = new CopyOnWriteArrayList<>();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
    List<Future<?>> clients = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      int client = i;
      clients.add(pool.submit(() -> {
        try (Connection c = DriverManager.getConnection(url, p); Statement st = c.createStatement()) {
          int q = client;
          while (System.nanoTime() < deadline) {
            long s = System.nanoTime();
            drain(st, dashboard.get(q++ % dashboard.size()));
            latencies.add((System.nanoTime() - s) / 1e6);
            queries.incrementAndGet();
          }
        } catch (Throwable t) {
          errors.add(t);
        }
      }));
    }
    for (Future<?> f : clients) {
      f.get(seconds + 600L, TimeUnit.SECONDS);
    }
    pool.shutdown();
    double[] l = latencies.stream().mapToDouble(Double::doubleValue).sorted().toArray();
    System.out.printf("  dashboards: 10 Avatica clients for %d s: %d queries, %d errors, p50 %.0f ms, p95 %.0f ms%n",
        seconds, queries.get(), errors.size(), l.length == 0 ? 0 : l[l.length / 2],
        l.length == 0 ? 0 : l[(int) (l.length * 0.95)]);
    for (Throwable t : errors) {
      System.out.println("    error: " + t);
    }
  }
}
