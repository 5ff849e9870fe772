package dev.lode.bench;

import dev.lode.app.LodeServer;
import dev.lode.config.Credentials;
import dev.lode.config.LodeConfig;
import dev.lode.recommend.BlendTuner;
import dev.lode.recommend.EvalProtocol;
import dev.lode.recommend.ModelBuilder;
import dev.lode.recommend.RecContext;
import dev.lode.recommend.RecEvaluator;
import dev.lode.recommend.RecommendSettings;
import dev.lode.recommend.Recommender;
import dev.lode.recommend.ServingRefresher;
import dev.lode.schedule.JobScheduler;
import dev.lode.recommend.ServingStore;
import dev.lode.warehouse.Warehouse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * {@code bin/lode bench recommend [latency-calls] [--latency-only]}: loads the Online Retail data into a fresh
 * warehouse, evaluates the blend, each source, and the popularity and item-kNN baselines on
 * the temporal split (train before 2011-10-01, test after) with recall@20, NDCG@20,
 * precision@20 and coverage, then times {@code recommend(person, 20)} served from the precomputed
 * lists through Avatica and through clickhouse-jdbc, the live query they replace, and the floor
 * of each layer, with the machine's load average.
 */
public final class RecommendBenchmark implements Benchmark {
  static final Instant CUTOFF = Instant.parse("2011-10-01T00:00:00Z");
  static final Instant END = Instant.parse("2011-12-31T00:00:00Z");
  static final int K = 20;
  /** The EASE penalties tried on the validation slice. */
  static final double[] LAMBDAS = {50, 150, 400, 1000};
  static final List<String> HEADLINE = List.of("blend", "ease", "item_knn", "popularity");
  static final List<String> TEMPORAL_METHODS = List.of("blend", "ease", "item_knn", "popularity", "basket", "customer",
      "seasonal", "trending");

  @Override
  public String name() {
    return "recommend";
  }

  @Override
  public String summary() {
    return "Online Retail temporal split: recall/NDCG@20 of the blend vs popularity and item-kNN; recommend() p50/p99";
  }

  @Override
  public void run(List<String> args) throws Exception {
    int calls = args.isEmpty() || args.get(0).startsWith("--") ? 300 : Integer.parseInt(args.get(0));
    boolean evaluate = !args.contains("--latency-only");
    List<EvalProtocol> protocols = new ArrayList<>();
    int pi = args.indexOf("--protocols");
    for (String p : (pi >= 0 && pi + 1 < args.size() ? args.get(pi + 1) : "temporal,random,leave_last_out").split(",")) {
      protocols.add(EvalProtocol.parse(p));
    }
    LodeConfig base = LodeConfig.load();
    Path csv = base.getPath("lode.demo.online-retail", "../shared/data/online-retail/online-retail.csv.gz");
    if (!Files.isRegularFile(csv)) {
      throw new IllegalArgumentException("Online Retail data not found at " + csv
          + " (set lode.demo.online-retail to the online-retail.csv.gz path)");
    }
    Path dir = null;
    LodeConfig config = base;
    // -Dlode.bench.recommend.data-dir=DIR keeps the bench's warehouse afterwards, to look into
    Path kept = base.get("lode.bench.recommend.data-dir").filter(d -> !d.isBlank()).map(Path::of).orElse(null);
    if (base.get("lode.warehouse.url").isEmpty()) {
      dir = kept != null ? Files.createDirectories(kept) : Files.createTempDirectory("lode-bench-recommend-");
      config = base.with("lode.data.dir", dir.toString());
    } else {
      config = base.with("lode.warehouse.database", "lode_bench_recommend");
    }
    // the whole Lode server, so recommend() can be timed through Avatica as a BI tool calls it;
    // its model refresher is off: the bench builds the models itself
    config = config.with("lode.http.port", "0").with("lode.recommend.refresh-minutes", "0")
        .with("lode.recommend.serving.interval-ms", "0")
        // no demo data: it would load in the background while the bench truncates and loads its own, so
        // the evaluation would see a varying share of simulated events; the periodic identity and tag
        // runs are left out so they do not compete with the timed calls
        .with("lode.demo.enabled", "false")
        .with("lode.identity.interval-seconds", "0").with("lode.tags.refresh-interval-seconds", "0")
        // the timed calls are a live shop's: served lists are used only when the model clock is now (under
        // auto the 2011 file would mean latest-event, and every call would be computed live)
        .with("lode.model.as-of", "now");
    try (LodeServer server = LodeServer.start(config)) {
      Warehouse w = server.context().warehouse();
      RecommendSettings settings = RecommendSettings.from(config);
      System.out.printf("bench recommend: %s, warehouse %s%n", csv.getFileName(),
          w.embedded() ? "embedded ClickHouse " + w.engine().orElseThrow().version() : w.jdbcUrl());
      try (Connection c = w.connect(); Statement st = c.createStatement()) {
        for (String t : List.of("order_lines", "orders", "items", "persons", "consents", "events", "tickets")) {
          st.execute("TRUNCATE TABLE " + t);
        }
        OnlineRetailFixture.Loaded l = OnlineRetailFixture.load(c, csv);
        System.out.printf("  loaded %,d lines, %,d orders, %,d items, %,d customers in %,d ms (prepared-statement batches)%n",
            l.lines(), l.orders(), l.items(), l.persons(), l.millis());
      }
      RecommendSettings tunedSettings = settings;
      for (EvalProtocol protocol : evaluate ? protocols : List.<EvalProtocol>of()) {
        Instant cutoff = protocol == EvalProtocol.TEMPORAL ? CUTOFF : END;
        System.out.printf("  protocol %s: %s; k = %d%n", protocol.sqlName(), switch (protocol) {
          case TEMPORAL -> "train < " + CUTOFF + " <= test < " + END + "; test persons = bought before the cutoff"
              + " and bought an item new to them after it";
          case RANDOM -> "purchases before " + END + ", per person max(1, n/5) of n >= 2 distinct items held out"
              + " (seed " + RecEvaluator.DEFAULT_SEED + ")";
          case LEAVE_LAST_OUT -> "purchases before " + END + ", each person's last order held out (2+ orders)";
        }, K);
        long t0 = System.nanoTime();
        // the blend is tuned for each protocol on a validation slice of that protocol carved out of its training
        // side (never the test part), then evaluated with what the tuning chose
        RecEvaluator.TunedEvaluation te = new RecEvaluator(w, settings).evaluateTuned(protocol,
            RecEvaluator.DEFAULT_SEED, cutoff, END, K, protocol == EvalProtocol.TEMPORAL ? TEMPORAL_METHODS : HEADLINE,
            LAMBDAS);
        BlendTuner.Tuned t = te.tuning();
        System.out.printf("    tuning on the validation slice (%s), %d persons:%n", t.slice(), t.persons());
        for (BlendTuner.Point p : t.lambdas()) {
          System.out.printf("      %-22s recall@20 %.4f  ndcg@20 %.4f%n", p.what(), p.recall(), p.ndcg());
        }
        for (BlendTuner.Point p : t.alone()) {
          System.out.printf("      %-22s recall@20 %.4f  ndcg@20 %.4f (alone)%n", p.what(), p.recall(), p.ndcg());
        }
        System.out.printf("      chosen: ease lambda %s; weights %s (untuned, no candidates on the slice: %s)%n",
            t.lambda(), new java.util.TreeMap<>(t.weights()), t.untuned());
        System.out.printf("      validation blend: configured weights recall@20 %.4f ndcg@20 %.4f -> tuned %.4f / %.4f;"
            + " tuning took %,d ms%n", t.before().recall(), t.before().ndcg(), t.after().recall(), t.after().ndcg(),
            t.millis());
        if (protocol == EvalProtocol.TEMPORAL) {
          // serving resembles the temporal protocol: the live model and the timed calls use its weights
          tunedSettings = t.settings();
        }
        List<RecEvaluator.Result> results = te.results();
        System.out.printf("  %-12s %8s %10s %10s %12s %9s %10s %8s%n", "method", "persons", "recall@20", "ndcg@20",
            "precision@20", "hit@20", "coverage", "ms");
        Map<String, RecEvaluator.Result> by = new LinkedHashMap<>();
        for (RecEvaluator.Result r : results) {
          by.put(r.method(), r);
          System.out.printf("  %-12s %8d %10.4f %10.4f %12.4f %9.4f %10.4f %8d%n", r.method(), r.persons(), r.recall(),
              r.ndcg(), r.precision(), r.hitRate(), r.coverage(), r.millis());
        }
        RecEvaluator.Result blend = by.get("blend");
        RecEvaluator.Result knn = by.get("item_knn");
        System.out.printf("  %s: blend / item_knn recall@20 = %.2f, NDCG@20 = %.2f (target >= 1.2 both);"
            + " ease / item_knn recall@20 = %.2f, NDCG@20 = %.2f; blend / popularity recall@20 = %.2f;"
            + " %,d ms (tuning, model build and EASE training included)%n", protocol.sqlName(), blend.recall() / knn.recall(),
            blend.ndcg() / knn.ndcg(), by.get("ease").recall() / knn.recall(), by.get("ease").ndcg() / knn.ndcg(),
            blend.recall() / by.get("popularity").recall(), (System.nanoTime() - t0) / 1_000_000);
        System.out.printf("  load average: %s%n", loadAverage());
      }
      settings = tunedSettings;
      latency(server, settings, calls);
    } finally {
      if (dir != null && kept == null) {
        InsertBenchmark.deleteTree(dir);
      }
    }
  }

  /**
   * recommend(person, 20) for many customers, one after another, each call through every path in
   * turn: the Avatica endpoint with a statement prepared once and with literal SQL planned per call,
   * and the Java API over clickhouse-jdbc, all served from the precomputed lists while the refresher
   * runs every second; the floor of each layer (a point query) in the same rounds; then the live
   * query the lists replace.
   */
  private static void latency(LodeServer server, RecommendSettings settings, int calls) throws Exception {
    Warehouse w = server.context().warehouse();
    ModelBuilder.Build b = new ModelBuilder(w, settings).build(Recommender.LIVE, Instant.now(), true);
    System.out.printf("  live model built in %,d ms (%,d neighbour, %,d popularity, %,d trending rows)%n", b.millis(),
        b.neighbors(), b.popularity(), b.trending());
    System.out.printf("  trained %s on %,d persons x %,d items (%,d pairs) in %,d ms, JVM heap peak %,d MB, %,d weight rows;"
        + " load average %s%n", b.training().trainer(), b.training().persons(), b.training().items(),
        b.training().pairs(), b.training().millis(), b.training().heapPeakMb(), b.training().rows(), loadAverage());
    List<String> persons = new ArrayList<>();
    try (Connection c = w.connect(); Statement st = c.createStatement()) {
      // Online Retail has no consent records; the bench records a granted 'personalization' consent for every
      // customer so the personalized path (not the context-only one) is what gets timed.
      st.execute("INSERT INTO consents (id_type, id_value, person_id, purpose, granted, recorded_at, source)"
          + " SELECT 'customer_no', customer_key, person_id, 'personalization', 1, now64(3), 'bench'"
          + " FROM (SELECT DISTINCT customer_key, person_id FROM order_lines WHERE person_id != '')");
      try (ResultSet rs = st.executeQuery("SELECT DISTINCT person_id FROM order_lines WHERE person_id != ''"
          + " ORDER BY cityHash64(person_id) LIMIT " + calls)) {
        while (rs.next()) {
          persons.add(rs.getString(1));
        }
      }
    }
    // the server's own refresher is off in this bench (lode.recommend.serving.interval-ms=0): this one starts
    // after the model build, like a server's after a rebuild, and keeps running while the calls are timed
    JobScheduler jobs = new JobScheduler();
    ServingRefresher refresher = ServingRefresher.start(jobs, new ServingStore(w, settings), 1000);
    Recommender rec = new Recommender(w, settings);
    long t0 = System.currentTimeMillis();
    int waiting = persons.size();
    while (waiting > 0 && System.currentTimeMillis() - t0 < 30 * 60_000) {
      Thread.sleep(2000);
      waiting = 0;
      try (Connection c = w.connect()) {
        for (String person : persons) {
          if (rec.served(c, person, K, RecContext.NONE).isEmpty()) {
            waiting++;
          }
        }
      }
    }
    long servedAfter = System.currentTimeMillis() - t0;
    // the steady state of a server: the full pass over every person is done and the refresher only redoes
    // changed persons each second (it keeps running during the calls)
    boolean complete = false;
    while (!complete && System.currentTimeMillis() - t0 < 30 * 60_000) {
      try (Connection c = w.connect(); Statement st = c.createStatement();
           ResultSet rs = st.executeQuery("SELECT argMax(complete, heartbeat) FROM rec_serving_state")) {
        rs.next();
        complete = rs.getInt(1) == 1;
      }
      if (!complete) {
        Thread.sleep(1000);
      }
    }
    long listed;
    try (Connection c = w.connect(); Statement st = c.createStatement();
         ResultSet rs = st.executeQuery("SELECT uniqExact(person_id) FROM rec_person_recs")) {
      rs.next();
      listed = rs.getLong(1);
    }
    System.out.printf("  served lists: the %d timed customers served %,d ms after the refresher started (customers"
        + " first); the full pass %s after %,d ms (%,d persons listed)%n", persons.size() - waiting, servedAfter,
        complete ? "complete" : "still running", System.currentTimeMillis() - t0, listed);
    // the same blend computed live: a recommender with its own clock is never served from the lists
    Recommender live = new Recommender(w, settings, java.time.Clock.systemUTC());
    int same = 0;
    int served = 0;
    for (String person : persons) {
      try (Connection c = w.connect()) {
        var s = rec.served(c, person, K, RecContext.NONE);
        if (s.isPresent()) {
          served++;
          if (items(s.get()).equals(items(live.recommend(person, K, RecContext.NONE)))) {
            same++;
          }
        }
      }
    }
    System.out.printf("  %d of %d customers served from the lists; %d of those identical (items and order) to the"
        + " live query%n", served, persons.size(), same);
    Credentials.User analyst = server.context().credentials().users().values().stream()
        .filter(u -> u.role() == Credentials.Role.ANALYST).findFirst().orElseThrow();
    Properties p = new Properties();
    p.setProperty("authentication", "BASIC");
    p.setProperty("avatica_user", analyst.name());
    p.setProperty("avatica_password", analyst.password());
    String url = "jdbc:avatica:remote:url=" + server.url() + "/avatica;serialization=protobuf";
    try (Connection avatica = DriverManager.getConnection(url, p); Statement st = avatica.createStatement();
         Connection ch = w.connect(); Statement chSt = ch.createStatement()) {
      System.out.printf("  load average before: %s%n", loadAverage());
      // the paths are timed side by side: each customer's call goes through every path in turn, so a
      // burst of load on the shared machine hits them alike
      java.sql.PreparedStatement prepared = avatica.prepareStatement("SELECT item_id, score, item_rank, source, reason"
          + " FROM TABLE(recommend(?, " + K + "))");
      java.sql.PreparedStatement floorPs = avatica.prepareStatement("SELECT item_id FROM items WHERE item_id = ?");
      Map<String, Call> paths = new LinkedHashMap<>();
      // how an application serving recommendations calls it: prepared once, executed per visitor
      paths.put("Avatica, prepared once, executed, served", person -> {
        prepared.setString(1, person);
        return rows(prepared.executeQuery());
      });
      // how a BI tool sends it: literal SQL, planned per call
      paths.put("Avatica, literal SQL (plan per call), served", person -> rows(st.executeQuery(
          "SELECT item_id, score, item_rank, source, reason FROM TABLE(recommend('" + person.replace("'", "''") + "', "
          + K + "))")));
      paths.put("Java API over clickhouse-jdbc, served", person -> rec.recommend(person, K, RecContext.NONE).size());
      // the floor: the cheapest query each layer can run, a point lookup by primary key
      paths.put("floor: Avatica, literal point query", person -> rows(st.executeQuery(
          "SELECT item_id FROM items WHERE item_id = 'bench-" + Math.abs(person.hashCode()) + "'")));
      paths.put("floor: Avatica, prepared point query", person -> {
        floorPs.setString(1, "bench-" + Math.abs(person.hashCode()));
        return rows(floorPs.executeQuery());
      });
      paths.put("floor: Avatica, SELECT literal (no warehouse)", person -> rows(st.executeQuery(
          "SELECT 'bench-" + Math.abs(person.hashCode()) + "' AS k")));
      paths.put("floor: clickhouse-jdbc, literal point query", person -> rows(chSt.executeQuery(
          "SELECT item_id FROM items WHERE item_id = 'bench-" + Math.abs(person.hashCode()) + "'")));
      Map<String, Timed> timed = timeSideBySide(persons, paths);
      List<String> liveSample = persons.subList(0, Math.min(persons.size(), 50));
      Timed liveApi = timeSideBySide(liveSample, Map.of("live", person -> live.recommend(person, K, RecContext.NONE)
          .size())).get("live");
      prepared.close();
      floorPs.close();
      System.out.printf("  load average after: %s%n", loadAverage());
      System.out.printf("  recommend(person, 20), %d customers one after another, each through every path in turn,"
          + " after 20 warm-up rounds (target p99 <= 50 ms):%n", persons.size());
      timed.forEach((what, t) -> {
        if (!what.startsWith("floor: ")) {
          print(what, t);
        }
      });
      print("live query, no lists (" + liveApi.n() + " calls, after the others)", liveApi);
      System.out.println("  floor of the path: the cheapest query of each layer (a primary-key point query on items,"
          + " no such key), timed in the same rounds");
      timed.forEach((what, t) -> {
        if (what.startsWith("floor: ")) {
          print(what.substring("floor: ".length()), t);
        }
      });
    } finally {
      refresher.close();
      jobs.close();
    }
  }

  private static void print(String what, Timed t) {
    System.out.printf("    %-46s p50 %6.1f ms  p99 %6.1f ms  max %6.1f ms  (%d empty)%n", what, t.p50(), t.p99(),
        t.max(), t.empty());
  }

  private static int rows(ResultSet rs) throws java.sql.SQLException {
    try (rs) {
      int n = 0;
      while (rs.next()) {
        n++;
      }
      return n;
    }
  }

  private static List<String> items(List<dev.lode.recommend.Recommendation> recs) {
    return recs.stream().map(dev.lode.recommend.Recommendation::itemId).toList();
  }

  /** The 1, 5 and 15 minute load averages and the core count: the machine is shared. */
  static String loadAverage() {
    try {
      String[] f = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
      return f[0] + " " + f[1] + " " + f[2] + " on " + Runtime.getRuntime().availableProcessors() + " cores";
    } catch (java.io.IOException e) {
      return String.format("%.2f on %d cores", java.lang.management.ManagementFactory.getOperatingSystemMXBean()
          .getSystemLoadAverage(), Runtime.getRuntime().availableProcessors());
    }
  }

  /** A call that returns how many rows it got. */
  private interface Call {
    int rows(String person) throws Exception;
  }

  /** Latency percentiles of one series of calls. */
  private record Timed(double p50, double p99, double max, int empty, int n) {
  }

  /** Times every call of {@code paths} for each person in turn, after 20 warm-up rounds. */
  private static Map<String, Timed> timeSideBySide(List<String> persons, Map<String, Call> paths) throws Exception {
    for (int i = 0; i < Math.min(20, persons.size()); i++) {
      for (Call call : paths.values()) {
        call.rows(persons.get(i));
      }
    }
    Map<String, double[]> ms = new LinkedHashMap<>();
    Map<String, Integer> empty = new LinkedHashMap<>();
    paths.keySet().forEach(k -> {
      ms.put(k, new double[persons.size()]);
      empty.put(k, 0);
    });
    for (int i = 0; i < persons.size(); i++) {
      for (Map.Entry<String, Call> p : paths.entrySet()) {
        long t0 = System.nanoTime();
        if (p.getValue().rows(persons.get(i)) == 0) {
          empty.merge(p.getKey(), 1, Integer::sum);
        }
        ms.get(p.getKey())[i] = (System.nanoTime() - t0) / 1e6;
      }
    }
    Map<String, Timed> out = new LinkedHashMap<>();
    for (String k : paths.keySet()) {
      double[] sorted = ms.get(k);
      Arrays.sort(sorted);
      out.put(k, new Timed(pct(sorted, 0.50), pct(sorted, 0.99), sorted[sorted.length - 1], empty.get(k),
          sorted.length));
    }
    return out;
  }

  private static double pct(double[] sorted, double p) {
    int i = (int) Math.ceil(p * sorted.length) - 1;
    return sorted[Math.max(0, Math.min(sorted.length - 1, i))];
  }
}
