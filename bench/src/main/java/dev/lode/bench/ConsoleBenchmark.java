package dev.lode.bench;

import dev.lode.app.DemoDataset;
import dev.lode.app.LodeServer;
import dev.lode.config.Credentials;
import dev.lode.config.LodeConfig;
import dev.lode.tags.TagService;
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
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code bin/lode bench console [demo-size] [requests]}: how long the web console takes to render
 * each page over the demo dataset (loaded, resolved and tagged first), signed in as an admin and
 * as an analyst — p50, p95 and the worst of {@code requests} timed GETs per page after two
 * warm-up requests, against the 300 ms p95 target — with the load average, since the machine may
 * be shared.
 */
public final class ConsoleBenchmark implements Benchmark {
  private static final Pattern TOKEN = Pattern.compile("name=\"token\" value=\"([^\"]+)\"");
  private static final double TARGET_MS = 300;

  @Override
  public String name() {
    return "console";
  }

  @Override
  public String summary() {
    return "web console page render time (p50/p95) per page and role over the demo dataset, against 300 ms p95";
  }

  @Override
  public void run(List<String> args) throws Exception {
    long size = args.isEmpty() ? DemoDataset.DEFAULT_SIZE : DemoDataset.parseSize(args.get(0));
    int requests = args.size() < 2 ? 30 : Integer.parseInt(args.get(1));
    LodeConfig base = LodeConfig.load();
    if (base.get("lode.warehouse.url").isPresent()) {
      throw new IllegalArgumentException("bench console runs on a fresh embedded warehouse; unset lode.warehouse.url");
    }
    Path dir = Files.createTempDirectory("lode-bench-console-");
    // no background jobs competing with the timed pages: the demo is loaded, resolved and tagged once, below
    LodeConfig config = base.with("lode.data.dir", dir.toString()).with("lode.http.port", "0")
        .with("lode.demo.enabled", "false").with("lode.identity.interval-seconds", "0")
        .with("lode.reports.scheduler.enabled", "false").with("lode.tags.refresh-interval-seconds", "0")
        .with("lode.recommend.refresh-minutes", "0");
    try (LodeServer server = LodeServer.start(config)) {
      long t0 = System.nanoTime();
      DemoDataset.load(server.context().warehouse(), config, size, line -> { });
      System.out.printf("bench console: demo dataset of %,d events loaded and resolved in %.1f s%n", size,
          (System.nanoTime() - t0) / 1e9);
      t0 = System.nanoTime();
      TagService tags = TagService.open(server.context().warehouse(), config);
      tags.refresh(tags.asOf(TagService.configuredAsOf(config)), List.of(), false, false);
      System.out.printf("  profiles and tags refreshed in %.1f s; %d requests per page after 2 warm-ups%n",
          (System.nanoTime() - t0) / 1e9, requests);
      String person;
      try (Connection c = server.context().warehouse().connect(); Statement st = c.createStatement();
           ResultSet rs = st.executeQuery("SELECT person_id FROM person_tags LIMIT 1")) {
        person = rs.next() ? rs.getString(1) : "nobody";
      }
      System.out.printf("  load average before: %s%n", RecommendBenchmark.loadAverage());
      List<Double> all = new ArrayList<>();
      System.out.printf("  %-8s %-28s %9s %9s %9s%n", "role", "page", "p50 ms", "p95 ms", "max ms");
      for (Credentials.Role role : List.of(Credentials.Role.ADMIN, Credentials.Role.ANALYST)) {
        Credentials.User u = server.context().credentials().users().values().stream().filter(x -> x.role() == role)
            .findFirst().orElseThrow();
        HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();
        String cookie = signIn(http, server.url(), u);
        Map<String, String> pages = new LinkedHashMap<>();
        pages.put("health", "/console/health");
        pages.put("quality", "/console/quality");
        pages.put("tags", "/console/tags");
        pages.put("people (one person)", "/console/people?q=" + URLEncoder.encode(person, StandardCharsets.UTF_8));
        pages.put("reports", "/console/reports");
        pages.put("sql", "/console/sql");
        pages.put("functions", "/console/sql/functions");
        for (Map.Entry<String, String> page : pages.entrySet()) {
          double[] ms = new double[requests];
          for (int i = -2; i < requests; i++) {
            long s = System.nanoTime();
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(server.url() + page.getValue()))
                .header("Cookie", cookie).build(), HttpResponse.BodyHandlers.ofString());
            double took = (System.nanoTime() - s) / 1e6;
            if (r.statusCode() != 200) {
              throw new IllegalStateException(page.getKey() + " answered " + r.statusCode());
            }
            if (i >= 0) {
              ms[i] = took;
              all.add(took);
            }
          }
          Arrays.sort(ms);
          System.out.printf("  %-8s %-28s %9.1f %9.1f %9.1f%n", role.name().toLowerCase(), page.getKey(),
              percentile(ms, 0.5), percentile(ms, 0.95), ms[ms.length - 1]);
        }
      }
      double[] every = all.stream().mapToDouble(Double::doubleValue).sorted().toArray();
      double p95 = percentile(every, 0.95);
      System.out.printf("  every page: p50 %.1f ms, p95 %.1f ms (target ≤ %.0f ms: %s)%n", percentile(every, 0.5), p95,
          TARGET_MS, p95 <= TARGET_MS ? "met" : "missed");
      System.out.printf("  load average after: %s%n", RecommendBenchmark.loadAverage());
    }
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
