package dev.lode.bench;

import dev.lode.app.DemoDataset;
import dev.lode.app.LodeServer;
import dev.lode.app.LodeVersion;
import dev.lode.config.Credentials;
import dev.lode.config.LodeConfig;
import dev.lode.recommend.RecContext;
import dev.lode.recommend.RecommendSettings;
import dev.lode.recommend.Recommender;
import dev.lode.warehouse.Warehouse;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code bin/lode bench console [demo-size] [requests]}: how long the web console takes to render
 * each page on a server run as a user's {@code bin/lode serve} runs it — the demo dataset loaded
 * in the background on the first start, every schedule at its default — once the server serves
 * the recommendation lists of the persons the People pages show. Signed in as an admin and as an
 * analyst it reports p50, p95 and the worst of {@code requests} timed GETs per page after two
 * warm-up requests, against the 300 ms p95 target, then where each page's time went (every
 * statement it ran, from the page's {@code Server-Timing} answer), with the load average, since
 * the machine may be shared. People pages cycle through several persons, each searched by its
 * person id (which every role's SQL shows as it is).
 */
public final class ConsoleBenchmark implements Benchmark {
  private static final Pattern TOKEN = Pattern.compile("name=\"token\" value=\"([^\"]+)\"");
  private static final Pattern STEP = Pattern.compile("([\\w-]+);dur=([0-9.]+)(?:;desc=\"([^\"]*)\")?");
  private static final double TARGET_MS = 300;
  /** Persons the People pages cycle through. */
  private static final int PERSONS = 10;

  @Override
  public String name() {
    return "console";
  }

  @Override
  public String summary() {
    return "web console page render time (p50/p95/max) per page and role over the demo dataset, against 300 ms p95";
  }

  /** One page to time: its label and the path of each request, by request number. */
  private record Page(String label, Function<Integer, String> path) {
  }

  /** The steps of one page's answers, keyed by position, name and description, with their durations. */
  private static final class Steps {
    final Map<String, List<Double>> byStep = new LinkedHashMap<>();
    final List<Integer> counts = new ArrayList<>();

    void add(String header) {
      Matcher m = STEP.matcher(header == null ? "" : header);
      int i = 0;
      int statements = 0;
      while (m.find()) {
        i++;
        String key = String.format("%2d %-7s %s", i, m.group(1), m.group(3) == null ? "" : m.group(3));
        byStep.computeIfAbsent(key, k -> new ArrayList<>()).add(Double.parseDouble(m.group(2)));
        if (m.group(1).equals("sql")) {
          statements++;
        }
      }
      counts.add(statements);
    }
  }

  @Override
  public void run(List<String> args) throws Exception {
    long size = args.isEmpty() ? DemoDataset.DEFAULT_SIZE : DemoDataset.parseSize(args.get(0));
    int requests = args.size() < 2 ? 30 : Integer.parseInt(args.get(1));
    LodeConfig base = LodeConfig.load();
    if (base.get("lode.warehouse.url").isPresent()) {
      throw new IllegalArgumentException("bench console runs on a fresh embedded warehouse; unset lode.warehouse.url");
    }
    // -Dlode.bench.console.data-dir=DIR keeps the warehouse the demo was loaded into, and a later run over the same
    // DIR and size times the pages once the server's lists are served again (loading the demo takes minutes)
    Path kept = base.get("lode.bench.console.data-dir").filter(d -> !d.isBlank()).map(Path::of).orElse(null);
    Path dir = kept != null ? Files.createDirectories(kept) : Files.createTempDirectory("lode-bench-console-");
    Path sizeFile = dir.resolve("bench-console-demo-size");
    if (Files.exists(sizeFile) && Long.parseLong(Files.readString(sizeFile).strip()) != size) {
      throw new IllegalArgumentException(dir + " holds a demo of " + Files.readString(sizeFile).strip()
          + " events, not " + size + ": name another lode.bench.console.data-dir");
    }
    Files.writeString(sizeFile, size + "\n");
    // the server as a user's `bin/lode serve` runs it: the demo loads in the background on the first start, and
    // every schedule keeps its default (identity resolution, profile and tag refresh, the recommendation model,
    // the serving lists, reports), so the pages are timed with the same background work a user's server does
    LodeConfig config = base.with("lode.data.dir", dir.toString()).with("lode.http.port", "0")
        .with("lode.demo.enabled", "true").with("lode.demo.size", Long.toString(size));
    boolean loading = DemoDataset.due(config);
    try (LodeServer server = LodeServer.start(config)) {
      Warehouse w = server.context().warehouse();
      long t0 = System.nanoTime();
      System.out.printf("bench console: %s; waiting for the server to serve its recommendation lists%n", loading
          ? String.format("the server loads a demo of %,d events in the background (Online Retail purchases: %s)",
              size, DemoDataset.onlineRetail(config).map(Path::toString).orElse("the bundled sample"))
          : "the demo of " + String.format("%,d", size) + " events is loaded in " + dir);
      while (!DemoDataset.state(config).equals("ready")) {
        awaitOrFail(t0, "the demo load (see the server's log above)");
      }
      long demoReady = System.nanoTime();
      // the server refreshes profiles and tags, then builds the model, once the demo is loaded; the serving
      // refresher then writes everyone's list: the pages are timed only once the persons they show are served
      Instant loaded = Files.getLastModifiedTime(config.dataDir().resolve("demo.loaded")).toInstant();
      while (!modelBuiltSince(w, loaded)) {
        awaitOrFail(t0, "the recommendation model's build after the demo load");
      }
      List<String> persons = new ArrayList<>();
      long events;
      long people;
      try (Connection c = w.connect(); Statement st = c.createStatement()) {
        try (ResultSet rs = st.executeQuery("SELECT DISTINCT person_id FROM person_tags ORDER BY cityHash64(person_id)"
            + " LIMIT " + PERSONS)) {
          while (rs.next()) {
            persons.add(rs.getString(1));
          }
        }
        try (ResultSet rs = st.executeQuery("SELECT (SELECT count() FROM events), (SELECT count() FROM profiles)")) {
          rs.next();
          events = rs.getLong(1);
          people = rs.getLong(2);
        }
      }
      if (persons.isEmpty()) {
        throw new IllegalStateException("no person holds a tag after the demo load: the People pages have no one to show");
      }
      Recommender recommender = new Recommender(w, RecommendSettings.from(config));
      while (served(w, recommender, persons) < persons.size()) {
        awaitOrFail(t0, "the served recommendation lists of the timed persons");
      }
      System.out.printf("  demo ready after %.0f s, the timed persons' recommendation lists served %.0f s after that%n",
          (demoReady - t0) / 1e9, (System.nanoTime() - demoReady) / 1e9);
      System.out.printf("  how: Lode %s, embedded ClickHouse %s; demo size %,d (%,d events, %,d profiles in the"
              + " warehouse); one client, sequential GETs over HTTP/1.1 keep-alive, %d timed requests per page and"
              + " role after 2 warm-ups; People cycles through %d tagged persons, whose recommend(?, 10) is read from"
              + " the served lists; the server's schedules at their defaults (they run while the pages are timed)%n",
          LodeVersion.get(), w.engine().map(e -> e.version()).orElse("?"), size, events, people, requests,
          persons.size());
      System.out.printf("  load average before: %s%n", RecommendBenchmark.loadAverage());
      List<Double> all = new ArrayList<>();
      Map<String, Steps> steps = new LinkedHashMap<>();
      System.out.printf("  %-8s %-24s %8s %8s %8s %8s %8s%n", "role", "page", "requests", "queries", "p50 ms", "p95 ms",
          "max ms");
      for (Credentials.Role role : List.of(Credentials.Role.ADMIN, Credentials.Role.ANALYST)) {
        Credentials.User u = server.context().credentials().users().values().stream().filter(x -> x.role() == role)
            .findFirst().orElseThrow();
        HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();
        String cookie = signIn(http, server.url(), u);
        // person ids are Lode's own (not PII): every role's SQL shows them as they are
        Function<Integer, String> shown = i -> persons.get(Math.floorMod(i, persons.size()));
        List<Page> pages = List.of(
            new Page("health", i -> "/console/health"),
            new Page("quality", i -> "/console/quality"),
            new Page("tags", i -> "/console/tags"),
            new Page("people (search)", i -> "/console/people?q=" + URLEncoder.encode(shown.apply(i),
                StandardCharsets.UTF_8)),
            new Page("people (blank)", i -> "/console/people"),
            new Page("reports", i -> "/console/reports"),
            new Page("sql", i -> "/console/sql"),
            new Page("functions", i -> "/console/sql/functions"));
        for (Page page : pages) {
          double[] ms = new double[requests];
          Steps timings = steps.computeIfAbsent(role.name().toLowerCase() + " " + page.label(), k -> new Steps());
          for (int i = -2; i < requests; i++) {
            long s = System.nanoTime();
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(server.url()
                + page.path().apply(i))).header("Cookie", cookie).build(), HttpResponse.BodyHandlers.ofString());
            double took = (System.nanoTime() - s) / 1e6;
            if (r.statusCode() != 200) {
              throw new IllegalStateException(page.label() + " answered " + r.statusCode());
            }
            if (page.label().startsWith("people (search)") && !r.body().contains("id=\"person\"")) {
              throw new IllegalStateException(page.label() + " found nobody for " + page.path().apply(i));
            }
            if (i >= 0) {
              ms[i] = took;
              all.add(took);
              timings.add(r.headers().firstValue("Server-Timing").orElse(null));
            }
          }
          Arrays.sort(ms);
          int queries = timings.counts.stream().mapToInt(Integer::intValue).max().orElse(0);
          System.out.printf("  %-8s %-24s %8d %8d %8.1f %8.1f %8.1f%n", role.name().toLowerCase(), page.label(),
              requests, queries, percentile(ms, 0.5), percentile(ms, 0.95), ms[ms.length - 1]);
        }
      }
      double[] every = all.stream().mapToDouble(Double::doubleValue).sorted().toArray();
      double p95 = percentile(every, 0.95);
      System.out.printf("  every page: %d requests, p50 %.1f ms, p95 %.1f ms, max %.1f ms (target p95 ≤ %.0f ms: %s)%n",
          every.length, percentile(every, 0.5), p95, every[every.length - 1], TARGET_MS, p95 <= TARGET_MS ? "met"
              : "missed");
      System.out.printf("  load average after: %s%n", RecommendBenchmark.loadAverage());
      System.out.printf("  after the timing, %d of the %d persons' lists still served (fewer: the refresher lagged and"
          + " some People pages computed their recommendations live)%n", served(w, recommender, persons), persons.size());
      System.out.println("  where the time went (Server-Timing of the timed requests: step, mean and max ms):");
      for (Map.Entry<String, Steps> page : steps.entrySet()) {
        System.out.printf("    %s%n", page.getKey());
        for (Map.Entry<String, List<Double>> step : page.getValue().byStep.entrySet()) {
          double[] d = step.getValue().stream().mapToDouble(Double::doubleValue).sorted().toArray();
          System.out.printf("      %8.1f %8.1f  %s%n", Arrays.stream(d).average().orElse(0), d[d.length - 1],
              step.getKey());
        }
      }
    }
  }

  /** Waits two seconds, or fails naming {@code what} once the bench has waited 30 minutes. */
  private static void awaitOrFail(long sinceNanos, String what) throws InterruptedException {
    if (System.nanoTime() - sinceNanos > 30 * 60 * 1_000_000_000L) {
      throw new IllegalStateException("bench console waited 30 minutes for " + what);
    }
    Thread.sleep(2000);
  }

  /** Whether the live model has a generation built since {@code since}. */
  private static boolean modelBuiltSince(Warehouse w, Instant since) throws Exception {
    try (Connection c = w.connect(); Statement st = c.createStatement();
         ResultSet rs = st.executeQuery("SELECT toUnixTimestamp64Milli(max(built_at)) FROM rec_models WHERE model = '"
             + Recommender.LIVE + "'")) {
      return rs.next() && rs.getLong(1) >= since.toEpochMilli();
    }
  }

  /** How many of {@code persons} recommend(person, 10) answers from the served lists right now. */
  private static int served(Warehouse w, Recommender recommender, List<String> persons) throws Exception {
    int n = 0;
    try (Connection c = w.connect()) {
      for (String p : persons) {
        if (recommender.served(c, p, 10, RecContext.NONE).isPresent()) {
          n++;
        }
      }
    }
    return n;
  }

  private static double percentile(double[] sorted, double q) {
    return sorted[Math.min(sorted.length - 1, (int) Math.ceil(q * sorted.length) - 1)];
  }

  private static String signIn(HttpClient http, String url, Credentials.User u) throws Exception {
    HttpResponse<String> form = http.send(HttpRequest.newBuilder(URI.create(url + "/console/login")).build(),
        HttpResponse.BodyHandlers.ofString());
    Matcher m = TOKEN.matcher(form.body());
    if (!m.find()) {
      throw new IllegalStateException("no sign-in token on the login page");
    }
    String loginCookie = form.headers().allValues("Set-Cookie").getFirst().split(";", 2)[0];
    String body = "user=" + URLEncoder.encode(u.name(), StandardCharsets.UTF_8) + "&password="
        + URLEncoder.encode(u.password(), StandardCharsets.UTF_8) + "&token=" + m.group(1);
    HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(url + "/console/login"))
        .header("Content-Type", "application/x-www-form-urlencoded").header("Cookie", loginCookie)
        .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    return r.headers().allValues("Set-Cookie").stream().filter(c -> c.startsWith("lode_console="))
        .findFirst().orElseThrow(() -> new IllegalStateException("sign-in failed: " + r.statusCode())).split(";", 2)[0];
  }
}
