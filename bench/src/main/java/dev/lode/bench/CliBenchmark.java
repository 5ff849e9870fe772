package dev.lode.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * {@code bin/lode bench cli [runs]}: the wall time of {@code bin/lode sql "SELECT 1"} against a
 * running server (a fresh one over a scratch home) on the quick path, through the Avatica driver
 * ({@code LODE_SQL_QUICK=off}) and without the AOT cache, then with no server (the embedded
 * engine), next to a bare {@code java -version} start of the same JDK — what a script pays per
 * statement, and how much of it is the JVM; with median, p90, the load average and the cache's state.
 */
final class CliBenchmark implements Benchmark {
  @Override
  public String name() {
    return "cli";
  }

  @Override
  public String summary() {
    return "wall time of bin/lode sql \"SELECT 1\" against a running server (quick path, driver, no AOT cache) and"
        + " without one, next to a bare java -version (median and p90 of RUNS, default 7)";
  }

  @Override
  public void run(List<String> args) throws Exception {
    int runs = args.isEmpty() ? 7 : Integer.parseInt(args.get(0));
    String launcher = System.getProperty("lode.launcher");
    if (launcher == null || !Files.isExecutable(Path.of(launcher))) {
      throw new IllegalStateException("run it through bin/lode (which names itself in -Dlode.launcher)");
    }
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Path home = Files.createTempDirectory("lode-bench-cli");
    ProcessBuilder serve = new ProcessBuilder(launcher, "serve", "--no-demo").redirectErrorStream(true);
    serve.environment().put("LODE_HOME", home.toString());
    serve.environment().put("LODE_HTTP_PORT", "0");
    Process server = serve.start();
    try {
      BufferedReader out = new BufferedReader(new InputStreamReader(server.getInputStream(), StandardCharsets.UTF_8));
      String line;
      while ((line = out.readLine()) != null && !line.contains("credentials")) {
        // the banner's last line names the credentials file
      }
      if (line == null) {
        throw new IllegalStateException("bin/lode serve did not start");
      }
      drain(out);
      Path checkout = Path.of(launcher).toAbsolutePath().getParent().getParent();
      Path aot = checkout.resolve("app/target/lode-cli.aot");
      Path jar = checkout.resolve("app/target/lode-app.jar");
      double loadBefore = ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
      long first = time(List.of(launcher, "sql", "SELECT 1"), home, Map.of());
      String cache = Files.isRegularFile(aot) && (!Files.isRegularFile(jar)
          || Files.getLastModifiedTime(aot).compareTo(Files.getLastModifiedTime(jar)) > 0)
          ? "used (" + aot.getFileName() + ", " + Files.size(aot) / (1 << 20) + " MB)" : "absent (LODE_CLASSPATH or LODE_AOT=off)";
      List<Long> jvm = new ArrayList<>();
      List<Long> quick = new ArrayList<>();
      List<Long> driver = new ArrayList<>();
      List<Long> noCache = new ArrayList<>();
      for (int i = 0; i < runs; i++) {
        jvm.add(time(List.of(java, "-version"), home, null));
        quick.add(time(List.of(launcher, "sql", "SELECT 1"), home, Map.of()));
        driver.add(time(List.of(launcher, "sql", "SELECT 1"), home, Map.of("LODE_SQL_QUICK", "off")));
        noCache.add(time(List.of(launcher, "sql", "SELECT 1"), home, Map.of("LODE_AOT", "off")));
      }
      server.destroy();
      server.waitFor(60, TimeUnit.SECONDS);
      // no server: the statement runs on the embedded engine this process opens (the first run creates the schema)
      Path alone = Files.createTempDirectory("lode-bench-cli-alone");
      time(List.of(launcher, "sql", "SELECT 1"), alone, Map.of());
      List<Long> embedded = new ArrayList<>();
      for (int i = 0; i < Math.min(runs, 3); i++) {
        embedded.add(time(List.of(launcher, "sql", "SELECT 1"), alone, Map.of()));
      }
      double loadAfter = ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
      int cores = Runtime.getRuntime().availableProcessors();
      System.out.printf("bin/lode sql \"SELECT 1\": wall time of each process from start to exit, %d runs each, interleaved"
          + " (a first run of %,d ms before them records the start-up cache if the build is new)%n", runs, first);
      row("java -version (the bare JVM)", jvm);
      row("server up: quick path (Avatica JSON)", quick);
      row("server up: LODE_SQL_QUICK=off (driver)", driver);
      row("server up: quick path, LODE_AOT=off", noCache);
      row("no server: embedded engine", embedded);
      System.out.printf("  Lode's share (median quick path - median java -version): %,d ms; target 400 ms for the quick"
          + " path%n", median(quick) - median(jvm));
      System.out.printf("  AOT cache %s; load average %.1f before, %.1f after, on %d cores%s%n", cache, loadBefore,
          loadAfter, cores, loadAfter > cores ? " (busy: other processes share the cores, wall times are inflated)" : "");
    } finally {
      server.destroy();
      server.waitFor(60, TimeUnit.SECONDS);
    }
  }

  private static void row(String label, List<Long> ms) {
    System.out.printf("  %-42s median %,6d ms  p90 %,6d  min %,6d  max %,6d  (%d runs)%n", label, median(ms),
        percentile(ms, 0.9), Collections.min(ms), Collections.max(ms), ms.size());
  }

  /** Runs {@code cmd} to its end; {@code env} null for a command that is not bin/lode sql "SELECT 1". */
  private static long time(List<String> cmd, Path home, Map<String, String> env)
      throws IOException, InterruptedException {
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
    pb.environment().put("LODE_HOME", home.toString());
    boolean expectOne = env != null;
    if (env != null) {
      pb.environment().putAll(env);
    }
    long t0 = System.nanoTime();
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    int code = p.waitFor();
    long ms = (System.nanoTime() - t0) / 1_000_000;
    if (code != 0 || expectOne && !out.contains("1\n(1 row)")) {
      throw new IllegalStateException(String.join(" ", cmd) + " failed (" + code + "): " + out);
    }
    return ms;
  }

  private static long median(List<Long> xs) {
    List<Long> s = new ArrayList<>(xs);
    Collections.sort(s);
    return s.get(s.size() / 2);
  }

  /** The nearest-rank percentile {@code p} (0..1). */
  private static long percentile(List<Long> xs, double p) {
    List<Long> s = new ArrayList<>(xs);
    Collections.sort(s);
    return s.get(Math.max(0, (int) Math.ceil(p * s.size()) - 1));
  }

  private static void drain(BufferedReader out) {
    Thread t = new Thread(() -> {
      try {
        out.transferTo(java.io.Writer.nullWriter());
      } catch (IOException ignored) {
        // the server was stopped
      }
    });
    t.setDaemon(true);
    t.start();
  }
}
