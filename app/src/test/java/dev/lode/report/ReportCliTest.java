package dev.lode.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code bin/lode report} as a user runs it, in separate processes next to a running
 * {@code lode serve}: the server created the report views at start, {@code report run}
 * reaches the server's warehouse, writes its files and records the run; bad input exits
 * non-zero naming what was wrong.
 */
class ReportCliTest {
  @TempDir
  Path home;

  @Test
  void listRunAndQueryTheViews() throws Exception {
    Result list = run("report", "list");
    assertEquals(0, list.code, list.out);
    for (String r : List.of("daily_kpi", "weekly_funnel", "cohort_retention", "campaign_effect", "tag_health",
        "data_quality")) {
      assertTrue(list.out.contains(r), list.out);
    }
    assertTrue(list.out.contains("--param start_date=<Date> (default today-7)"), list.out);

    Process server = lode("serve").redirectErrorStream(true).start();
    try {
      BufferedReader out = new BufferedReader(new InputStreamReader(server.getInputStream(), StandardCharsets.UTF_8));
      String line;
      while ((line = out.readLine()) != null && !line.contains("credentials")) {
        // wait for the banner
      }
      Thread drain = new Thread(() -> {
        try {
          out.transferTo(java.io.Writer.nullWriter());
        } catch (IOException ignored) {
          // the server was stopped
        }
      });
      drain.setDaemon(true);
      drain.start();

      Result views = run("sql", "SELECT count(*) AS days FROM report_daily_kpi");
      assertEquals(0, views.code, views.out);
      assertTrue(views.out.contains("7\n(1 row)"), views.out);

      Path outDir = home.resolve("out");
      String yesterday = LocalDate.now(ZoneOffset.UTC).minusDays(1).toString();
      Result ok = run("report", "run", "daily_kpi", "--param", "start_date=" + yesterday, "--param",
          "end_date=" + yesterday, "--format", "csv", "--out", outDir.toString());
      assertEquals(0, ok.code, ok.out);
      assertTrue(ok.out.contains("report daily_kpi: 1 rows"), ok.out);
      String csv = Files.readString(outDir.resolve("daily_kpi").resolve("latest.csv"));
      assertEquals("day,visitors,sessions,conversion_pct,orders,revenue,avg_order_value\r\n" + yesterday
          + ",0,0,0,0,0.00,0.00\r\n", csv);

      Result recorded = run("sql", "SELECT status, \"trigger\", \"rows\" FROM report_runs WHERE report = 'daily_kpi' AND status <> 'running'");
      assertTrue(recorded.out.matches("(?s).*succeeded\\s+\\|\\s+cli\\s+\\|\\s+1\\n\\(1 row\\)\\n"), recorded.out);

      Result bad = run("report", "run", "daily_kpi", "--param", "start_date=yesterday");
      assertEquals(1, bad.code, bad.out);
      assertTrue(bad.out.contains("parameter 'start_date' expects a Date (YYYY-MM-DD), got 'yesterday'"), bad.out);
      Result unknown = run("report", "run", "weekly_kpi");
      assertEquals(1, unknown.code, unknown.out);
      assertTrue(unknown.out.contains("no report 'weekly_kpi' (known: campaign_effect,"), unknown.out);
      Result usage = run("report", "run", "daily_kpi", "--format", "pdf");
      assertEquals(2, usage.code, usage.out);
      assertTrue(usage.out.contains("output format 'pdf' is not one of csv, html"), usage.out);
    } finally {
      server.destroy();
      server.waitFor(30, TimeUnit.SECONDS);
    }
  }

  private record Result(int code, String out) {
  }

  private Result run(String... args) throws Exception {
    Process p = lode(args).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(120, TimeUnit.SECONDS));
    StringBuilder kept = new StringBuilder();
    for (String l : out.split("\n", -1)) {
      if (!l.startsWith("[") && !l.startsWith("WARNING") && !l.startsWith("SLF4J")) {
        kept.append(l).append('\n');
      }
    }
    return new Result(p.exitValue(), kept.toString().replaceAll("\n+$", "\n"));
  }

  private ProcessBuilder lode(String... args) {
    List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "--enable-native-access=ALL-UNNAMED", "-Dlode.http.port=0", "-Dlode.demo.enabled=false",
        "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn",
        "-cp", System.getProperty("java.class.path"), "dev.lode.cli.Lode"));
    cmd.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(cmd);
    pb.environment().put("LODE_HOME", home.toString());
    return pb;
  }
}
