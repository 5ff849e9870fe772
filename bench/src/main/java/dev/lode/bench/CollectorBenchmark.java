package dev.lode.bench;

import dev.lode.app.LodeServer;
import dev.lode.collector.CollectedEvent;
import dev.lode.collector.spool.EventWriter;
import dev.lode.config.LodeConfig;
import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * {@code bin/lode bench collector [clients] [batch] [events]}: events/s through the whole
 * collector path — HTTP POST /v1/batch, fsync'd spool, flush into the events table, visible
 * to a query — for N concurrent clients posting batches of B, next to the rate of
 * inserting the same rows straight into an identical table through clickhouse-jdbc (the
 * engine's own ceiling on this path), as a ratio; plus the delay from a 200 answer until
 * the event is visible in a query (p50/p99/max over probe events sent during the run).
 * Server and clients share this machine.
 */
public final class CollectorBenchmark implements Benchmark {
  private static final String KEY = "bench-write-key";
  /**
   * The bench events visible so far, polled every 100 ms: the fresh warehouse holds only bench
   * and probe events, so this is the table's row count (read from part metadata) minus the
   * probes (a primary-key range). Filtering every row by source, as before, scanned the whole
   * table ten times a second inside the measurement; the exact check by source and id comes
   * after the run.
   */
  private static final String VISIBLE = "SELECT (SELECT count() FROM events)"
      + " - (SELECT count() FROM events WHERE distinct_id = 'probe')";
  private static final String[] NAMES = {"page_view_like", "product_view", "add_to_cart", "checkout", "purchase"};

  @Override
  public String name() {
    return "collector";
  }

  @Override
  public String summary() {
    return "events/s HTTP → durable → queryable for N clients x batch B, vs raw jdbc insert of the same rows; 200→visible p99";
  }

  @Override
  public void run(List<String> args) throws Exception {
    int clients = args.isEmpty() ? 8 : Integer.parseInt(args.get(0));
    int batch = args.size() < 2 ? 100 : Integer.parseInt(args.get(1));
    int events = args.size() < 3 ? 400_000 : Integer.parseInt(args.get(2));
    int batches = Math.max(clients, events / batch);
    events = batches * batch;
    Path dir = Files.createTempDirectory("lode-bench-collector-");
    Files.writeString(dir.resolve("credentials.properties"), "writekey." + KEY + "=bench\n");
    LodeConfig config = LodeConfig.load().with("lode.data.dir", dir.toString()).with("lode.http.port", "0")
        .with("lode.warehouse.url", "")
        // measure the collector alone: no demo dataset, identity runs or tag refreshes competing for the cores
        .with("lode.demo.enabled", "false").with("lode.identity.interval-seconds", "0")
        .with("lode.reports.scheduler.enabled", "false").with("lode.tags.refresh-interval-seconds", "0")
        .with("lode.recommend.refresh-minutes", "0");
    long t00 = System.currentTimeMillis();
    double load = java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
    try (LodeServer server = LodeServer.start(config)) {
      URI base = URI.create(server.url());
      String auth = "Basic " + Base64.getEncoder().encodeToString((KEY + ":").getBytes(StandardCharsets.UTF_8));
      // every request (head and body) is built before the timed part; clients only send them
      List<byte[]> requests = new ArrayList<>(batches);
      for (int b = 0; b < batches; b++) {
        requests.add(RawHttpClient.post(base, "/v1/batch", auth, batchJson(b, batch, t00).getBytes(StandardCharsets.UTF_8)));
      }
      HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(10)).build();
      System.out.printf("bench collector: %,d events = %,d batches of %d from %d concurrent clients (HTTP/1.1 keep-alive,"
          + " one socket each); server %s, embedded ClickHouse %s%n", events, batches,
          batch, clients,
          server.url(),
          server.context().warehouse().engine().map(e -> e.version()).orElse("external"));
      // warm up (JIT, connections, first parts): rounds of a tenth as many events, posted the same way,
      // until the JIT compiler has settled (a round cost it under 200 ms), 8 rounds at most;
      // the timed part then measures the steady state a long-running server is in
      int warmBatches = Math.max(20, batches / 10);
      var jit = java.lang.management.ManagementFactory.getCompilationMXBean();
      AtomicInteger retries = new AtomicInteger();
      long warm = 0;
      int rounds = 0;
      boolean settled = false;
      // the probe's single-event posts and its polling query run during the warm-up too: started
      // only in the timed part, their first calls changed the hot paths' type profiles and made
      // the JIT recompile them (seconds of compiler CPU inside the measurement)
      Probe warmProbe = new Probe(server, http, server.url() + "/v1/track", auth, "warm-probe-");
      warmProbe.start();
      List<Long> compiledPerRound = new ArrayList<>();
      for (long compiled = -1; rounds < 16; rounds++) {
        List<byte[]> warmRequests = new ArrayList<>();
        for (int i = 0; i < warmBatches; i++) {
          warmRequests.add(RawHttpClient.post(base, "/v1/batch", auth,
              batchJson(1_000_000 + rounds * warmBatches + i, batch, t00).getBytes(StandardCharsets.UTF_8)));
        }
        postAll(base, clients, warmRequests, new AtomicInteger());
        warm += (long) warmBatches * batch;
        awaitCount(server, VISIBLE, warm, 120_000);
        long now = jit.getTotalCompilationTime();
        compiledPerRound.add(now - Math.max(0, compiled));
        if (compiled >= 0 && now - compiled < 200) {
          settled = true;
          rounds++;
          break;
        }
        compiled = now;
      }
      warmProbe.stop();
      System.out.printf("  warm-up: %d rounds of %,d events, %s (%,d ms compiling so far; per round %s ms)%n", rounds,
          (long) warmBatches * batch, settled ? "the JIT settled" : "the cap; the JIT was still compiling",
          jit.getTotalCompilationTime(), compiledPerRound);

      Probe probe = new Probe(server, http, server.url() + "/v1/track", auth, "probe-");
      double loadBefore = java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
      long cpu0 = ProcessCpu.nanos();
      ThreadCpu threads0 = ThreadCpu.snapshot();
      long jit0 = jit.getTotalCompilationTime();
      System.out.printf("  timed part starts at JVM uptime %,d ms%n", java.lang.management.ManagementFactory.getRuntimeMXBean().getUptime());
      long t0 = System.nanoTime();
      probe.start();
      postAll(base, clients, requests, retries);
      long tAck = System.nanoTime();
      requests.clear();
      long expected = warm + events;
      long visible = awaitCount(server, VISIBLE, expected, 300_000);
      long tVisible = System.nanoTime();
      double cpu = (ProcessCpu.nanos() - cpu0) / 1e9;
      List<Map.Entry<String, Double>> threadCpu = ThreadCpu.snapshot().since(threads0);
      long jitTimed = jit.getTotalCompilationTime() - jit0;
      System.out.printf("  timed part ends at JVM uptime %,d ms; JIT compiling in it %,d ms%n", java.lang.management.ManagementFactory.getRuntimeMXBean().getUptime(), jitTimed);
      probe.stop();
      if (visible != expected) {
        try (Connection c = server.context().warehouse().connect(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT count(), uniqExact(event_id), uniqExact(event_id, event_time),"
                 + " any(event_id) FROM events WHERE source = 'bench' AND distinct_id != 'probe'")) {
          rs.next();
          throw new IllegalStateException(visible + " events visible, " + expected + " expected: count "
              + rs.getLong(1) + ", distinct ids " + rs.getLong(2) + ", distinct (id, time) " + rs.getLong(3));
        }
      }
      double loadAfter = java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
      verifyExactlyOnce(server, expected);
      double ackRate = events / ((tAck - t0) / 1e9);
      double e2eRate = events / ((tVisible - t0) / 1e9);

      // the same rows, inserted straight into an identical table through clickhouse-jdbc
      List<CollectedEvent> rows = rows(batches, batch, t00);
      double raw;
      try (Connection c = server.context().warehouse().connect(); Statement st = c.createStatement();
           EventWriter writer = new EventWriter(server.context().warehouse(), "bench_events_raw")) {
        st.execute("DROP TABLE IF EXISTS bench_events_raw");
        st.execute("CREATE TABLE bench_events_raw AS events");
        long r0 = System.nanoTime();
        int chunk = 50_000;
        for (int i = 0; i < rows.size(); i += chunk) {
          writer.insertEvents(rows.subList(i, Math.min(rows.size(), i + chunk)));
        }
        raw = rows.size() / ((System.nanoTime() - r0) / 1e9);
        try (ResultSet rs = st.executeQuery("SELECT count() FROM bench_events_raw")) {
          rs.next();
          if (rs.getLong(1) != rows.size()) {
            throw new IllegalStateException("raw insert stored " + rs.getLong(1) + " of " + rows.size());
          }
        }
        st.execute("DROP TABLE bench_events_raw");
      }
      long[] delays = probe.delays();
      System.out.printf("  accepted (200, durable)       %,10.0f events/s   (%.2f s for %,d events, %d retried posts)%n",
          ackRate, (tAck - t0) / 1e9, events, retries.get());
      System.out.printf("  end to end (visible in query) %,10.0f events/s   (%.2f s until count() = %,d)%n", e2eRate,
          (tVisible - t0) / 1e9, expected);
      System.out.printf("  CPU used until visible         %,9.1f s      (this whole process: clients, server, engine, JIT, GC;"
          + " %.1f µs per event; %,.0f events per CPU-second, %,.0f per %d-core second if nothing else ran)%n", cpu,
          cpu * 1e6 / events, events / cpu, Runtime.getRuntime().availableProcessors() * events / cpu,
          Runtime.getRuntime().availableProcessors());
      if (!threadCpu.isEmpty()) {
        StringBuilder where = new StringBuilder();
        for (Map.Entry<String, Double> t : threadCpu.subList(0, Math.min(10, threadCpu.size()))) {
          where.append(where.isEmpty() ? "" : ", ").append(String.format("%s %.1f", t.getKey(), t.getValue() * 1e6 / events));
        }
        System.out.printf("  CPU by thread group (µs/event, /proc/self/task, threads that ended meanwhile not counted): %s%n",
            where);
      }
      System.out.printf("  raw jdbc insert, same rows    %,10.0f rows/s     (EventWriter into a copy of events, 50k-row"
          + " batches, after the run)%n", raw);
      System.out.printf("  ratio end-to-end / raw        %10.2f%n", e2eRate / raw);
      System.out.printf("  200 → visible delay           p50 %d ms, p99 %d ms, max %d ms over %d probe events%n",
          pct(delays, 50), pct(delays, 99), delays.length == 0 ? 0 : delays[delays.length - 1], delays.length);
      System.out.println("  verified: every sent messageId is in events exactly once (count() = uniqExact(event_id) ="
          + " events sent, ids m-0-0 … present; no loss, no duplicates)");
      System.out.printf("  machine: %d cores, load average %.1f at the start, %.1f before and %.1f after the timed part"
          + " (other processes share the cores)%n", Runtime.getRuntime().availableProcessors(), load, loadBefore,
          loadAfter);
    } finally {
      InsertBenchmark.deleteTree(dir);
    }
  }

  /** Posts every request from {@code clients} threads, each over its own keep-alive socket, retrying non-200s. */
  private static void postAll(URI base, int clients, List<byte[]> requests, AtomicInteger retries) throws Exception {
    AtomicInteger next = new AtomicInteger();
    AtomicReference<Throwable> failure = new AtomicReference<>();
    CountDownLatch done = new CountDownLatch(clients);
    for (int c = 0; c < clients; c++) {
      Thread.ofPlatform().name("bench-client-" + c).start(() -> {
        try (RawHttpClient client = new RawHttpClient(base)) {
          for (int b; (b = next.getAndIncrement()) < requests.size(); ) {
            int status;
            while ((status = client.send(requests.get(b))) != 200) {
              if (status != 429 && status != 503) {
                throw new IllegalStateException("HTTP " + status + " for batch " + b);
              }
              retries.incrementAndGet();
              Thread.sleep(50);
            }
          }
        } catch (Throwable t) {
          failure.compareAndSet(null, t);
        } finally {
          done.countDown();
        }
      });
    }
    done.await();
    if (failure.get() != null) {
      throw new IllegalStateException("a client failed", failure.get());
    }
  }

  /** Every bench event is stored exactly once: as many rows as distinct ids as events sent, the ids being the sent ones. */
  private static void verifyExactlyOnce(LodeServer server, long expected) throws Exception {
    try (Connection c = server.context().warehouse().connect(); Statement st = c.createStatement();
         ResultSet rs = st.executeQuery("SELECT count(), uniqExact(event_id), countIf(NOT match(event_id,"
             + " '^m-[0-9]+-[0-9]+$')) FROM events WHERE source = 'bench' AND distinct_id != 'probe'")) {
      rs.next();
      if (rs.getLong(1) != expected || rs.getLong(2) != expected || rs.getLong(3) != 0) {
        throw new IllegalStateException("expected " + expected + " events stored once each: count " + rs.getLong(1)
            + ", distinct messageIds " + rs.getLong(2) + ", foreign ids " + rs.getLong(3));
      }
    }
  }

  private static int post(HttpClient http, String url, String auth, String body) throws Exception {
    HttpRequest r = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(60))
        .header("Content-Type", "application/json").header("Authorization", auth)
        .POST(HttpRequest.BodyPublishers.ofString(body)).build();
    return http.send(r, HttpResponse.BodyHandlers.discarding()).statusCode();
  }

  private static long awaitCount(LodeServer server, String sql, long expected, long timeoutMs) throws Exception {
    long deadline = System.currentTimeMillis() + timeoutMs;
    try (Connection c = server.context().warehouse().connect(); Statement st = c.createStatement()) {
      while (true) {
        long n;
        try (ResultSet rs = st.executeQuery(sql)) {
          rs.next();
          n = rs.getLong(1);
        }
        if (n >= expected || System.currentTimeMillis() > deadline) {
          return n;
        }
        Thread.sleep(100);
      }
    }
  }

  /** Event {@code i} of batch {@code b}: the same values for the JSON and the raw rows. */
  private static String batchJson(int b, int size, long t00) {
    StringBuilder s = new StringBuilder(size * 330).append("{\"batch\":[");
    for (int i = 0; i < size; i++) {
      int n = b * size + i;
      s.append(i == 0 ? "" : ",").append("{\"type\":\"track\",\"event\":\"").append(NAMES[n % 5])
          .append("\",\"messageId\":\"m-").append(b).append('-').append(i).append("\",\"anonymousId\":\"a-")
          .append(n % 20_000).append("\",\"userId\":\"u-").append(n % 20_000).append("\",\"timestamp\":\"")
          .append(Instant.ofEpochMilli(t00 - 60_000 + n % 60_000)).append("\",\"properties\":{\"product_id\":\"p-")
          .append(n % 5000).append("\",\"category\":\"c").append(n % 40).append("\",\"price\":").append(n % 1000)
          .append(".5,\"quantity\":").append(n % 7 + 1).append("},\"context\":{\"ip\":\"10.0.").append(n % 250)
          .append(".1\",\"locale\":\"en-GB\",\"page\":{\"url\":\"https://shop.example/p/").append(n % 5000)
          .append("\"}}}");
    }
    return s.append("]}").toString();
  }

  private static List<CollectedEvent> rows(int batches, int size, long t00) {
    List<CollectedEvent> out = new ArrayList<>(batches * size);
    long now = System.currentTimeMillis();
    for (int b = 0; b < batches; b++) {
      for (int i = 0; i < size; i++) {
        int n = b * size + i;
        Map<String, String> props = new LinkedHashMap<>();
        props.put("product_id", "p-" + n % 5000);
        props.put("category", "c" + n % 40);
        props.put("price", (n % 1000) + ".5");
        props.put("quantity", Integer.toString(n % 7 + 1));
        String user = "u-" + n % 20_000;
        out.add(new CollectedEvent("m-" + b + "-" + i, t00 - 60_000 + n % 60_000, now, null, user,
            "a-" + n % 20_000, user, "track", NAMES[n % 5], "", "https://shop.example/p/" + n % 5000, "", "", "",
            "p-" + n % 5000, "c" + n % 40, new BigDecimal((n % 1000) + ".5000"), n % 7 + 1, null, 0, "", "", "", "",
            "10.0." + n % 250 + ".1", "en-GB", "", "", "", props, "bench", 0));
      }
    }
    return out;
  }

  private static long pct(long[] sorted, int p) {
    if (sorted.length == 0) {
      return 0;
    }
    int i = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
    return sorted[Math.max(0, Math.min(sorted.length - 1, i))];
  }

  /**
   * Sends one event every 50 ms under distinct_id 'probe' and notes when the 200 came;
   * a poller queries for probe ids every 50 ms and notes when each became visible.
   */
  private static final class Probe {
    private final LodeServer server;
    private final HttpClient http;
    private final String url;
    private final String auth;
    private final String idPrefix;
    private final Map<String, Long> acked = new ConcurrentHashMap<>();
    private final Map<String, Long> seen = new ConcurrentHashMap<>();
    private volatile boolean running = true;
    private Thread sender;
    private Thread poller;

    Probe(LodeServer server, HttpClient http, String url, String auth, String idPrefix) {
      this.server = server;
      this.idPrefix = idPrefix;
      this.http = http;
      this.url = url;
      this.auth = auth;
    }

    void start() {
      sender = Thread.ofPlatform().name("bench-probe").start(() -> {
        for (int i = 0; running; i++) {
          String id = idPrefix + i;
          try {
            if (post(http, url, auth, "{\"event\":\"probe\",\"userId\":\"probe\",\"messageId\":\"" + id + "\"}") == 200) {
              acked.put(id, System.nanoTime());
            }
            Thread.sleep(50);
          } catch (Exception e) {
            return;
          }
        }
      });
      poller = Thread.ofPlatform().name("bench-probe-poll").start(() -> {
        try (Connection c = server.context().warehouse().connect();
             PreparedStatement ps = c.prepareStatement("SELECT event_id FROM events WHERE distinct_id = 'probe'"
                 + " AND startsWith(event_id, ?)")) {
          ps.setString(1, idPrefix);
          while (running || seen.size() < acked.size()) {
            Set<String> ids = new HashSet<>();
            try (ResultSet rs = ps.executeQuery()) {
              while (rs.next()) {
                ids.add(rs.getString(1));
              }
            }
            long now = System.nanoTime();
            for (String id : ids) {
              seen.putIfAbsent(id, now);
            }
            Thread.sleep(50);
            if (!running && System.nanoTime() - now > 10_000_000_000L) {
              return;
            }
          }
        } catch (Exception e) {
          // the run is over
        }
      });
    }

    void stop() throws InterruptedException {
      running = false;
      sender.join();
      poller.join(15_000);
    }

    long[] delays() {
      List<Long> d = new ArrayList<>();
      acked.forEach((id, t) -> {
        Long s = seen.get(id);
        if (s != null) {
          d.add(Math.max(0, (s - t) / 1_000_000));
        }
      });
      long[] out = d.stream().mapToLong(Long::longValue).toArray();
      Arrays.sort(out);
      return out;
    }
  }
}
