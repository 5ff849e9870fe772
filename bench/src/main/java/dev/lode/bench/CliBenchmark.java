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
import java.util.concurrent.TimeUnit;

/**
 * {@code bin/lode bench cli [runs]}: the wall time of {@code bin/lode sql "SELECT 1"} against a
 * running server (a fresh one over a scratch home), next to a bare {@code java -version} start
 * of the same JDK — what a script pays per statement, and how much of it is the JVM.
 */
final class CliBenchmark implements Benchmark {
  @Override
  public String name() {
    return "cli";
  }

  @Override
  public String summary() {
    return "wall time of bin/lode sql \"SELECT 1\" against a running server, next to a bare java -version"
        + " (median of RUNS, default 7)";
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
      double loadBefore = ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
      long first = time(List.of(launcher, "sql", "SELECT 1"), home, true, false);
      List<Long> jvm = new ArrayList<>();
      List<Long> sql = new ArrayList<>();
      List<Long> noCache = new ArrayList<>();
      for (int i = 0; i < runs; i++) {
        jvm.add(time(List.of(java, "-version"), home, false, false));
        sql.add(time(List.of(launcher, "sql", "SELECT 1"), home, true, false));
        noCache.add(time(List.of(launcher, "sql", "SELECT 1"), home, true, true));
      }
      double loadAfter = ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
      System.out.printf("bin/lode sql \"SELECT 1\" against a running server, %d runs (after a first run of %,d ms,"
          + " which records the start-up cache if the build is new)%n",
          runs, first);
      System.out.printf("  java -version                 median %,5d ms  min %,5d  max %,5d%n", median(jvm),
          Collections.min(jvm), Collections.max(jvm));
      System.out.printf("  bin/lode sql \"SELECT 1\"       median %,5d ms  min %,5d  max %,5d%n", median(sql),
          Collections.min(sql), Collections.max(sql));
      System.out.printf("  the same, LODE_AOT=off          median %,5d ms  min %,5d  max %,5d%n", median(noCache),
          Collections.min(noCache), Collections.max(noCache));
      System.out.printf("  Lode's share (median sql - median java -version): %,d ms%n", median(sql) - median(jvm));
      System.out.printf("  load average %.1f before, %.1f after, on %d cores%s%n", loadBefore, loadAfter,
          Runtime.getRuntime().availableProcessors(), loadAfter > Runtime.getRuntime().availableProcessors()
              ? " (busy: other processes share the cores, wall times are inflated)" : "");
      System.out.println("  bin/lode uses the JDK's AOT cache (app/target/lode-cli.aot, written by the first sql run"
          + " after a build) unless LODE_AOT=off");
    } finally {
      server.destroy();
      server.waitFor(60, TimeUnit.SECONDS);
    }
  }

  private static long time(List<String> cmd, Path home, boolean expectOne, boolean noCache)
      throws IOException, InterruptedException {
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
    pb.environment().put("LODE_HOME", home.toString());
    if (noCache) {
      pb.environment().put("LODE_AOT", "off");
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
