package dev.lode.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lode.app.LodeCli;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
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
    LodeCli cli = new LodeCli(home);
    LodeCli.Result list = cli.run("report", "list");
    assertEquals(0, list.code(), list.out());
    for (String r : List.of("daily_kpi", "weekly_funnel", "cohort_retention", "campaign_effect", "tag_health",
        "data_quality")) {
      assertTrue(list.out().contains(r), list.out());
    }
    assertTrue(list.out().contains("--param start_date=<Date> (default today-7)"), list.out());

    try (LodeCli.Server server = cli.serve()) {
      LodeCli.Result views = cli.run("sql", "SELECT count(*) AS days FROM report_daily_kpi");
      assertEquals(0, views.code(), views.out());
      assertTrue(views.out().contains("7\n(1 row)"), views.out());

      Path outDir = home.resolve("out");
      String yesterday = LocalDate.now(ZoneOffset.UTC).minusDays(1).toString();
      LodeCli.Result ok = cli.run("report", "run", "daily_kpi", "--param", "start_date=" + yesterday, "--param",
          "end_date=" + yesterday, "--format", "csv", "--out", outDir.toString());
      assertEquals(0, ok.code(), ok.out());
      assertTrue(ok.out().contains("report daily_kpi: 1 rows"), ok.out());
      String csv = Files.readString(outDir.resolve("daily_kpi").resolve("latest.csv"));
      assertEquals("day,visitors,sessions,purchase_sessions,session_conversion_pct,orders,revenue,avg_order_value\r\n"
          + yesterday + ",0,0,0,0,0,0.00,0.00\r\n", csv);

      LodeCli.Result recorded = cli.run("sql", "SELECT status, \"trigger\", \"rows\" FROM report_runs WHERE report = 'daily_kpi' AND status <> 'running'");
      assertTrue(recorded.out().matches("(?s).*succeeded\\s+\\|\\s+cli\\s+\\|\\s+1\\n\\(1 row\\)\\n"), recorded.out());

      LodeCli.Result bad = cli.run("report", "run", "daily_kpi", "--param", "start_date=yesterday");
      assertEquals(1, bad.code(), bad.out());
      assertTrue(bad.out().contains("parameter 'start_date' expects a Date (YYYY-MM-DD), got 'yesterday'"), bad.out());
      LodeCli.Result unknown = cli.run("report", "run", "weekly_kpi");
      assertEquals(1, unknown.code(), unknown.out());
      assertTrue(unknown.out().contains("no report 'weekly_kpi' (known: campaign_effect,"), unknown.out());
      LodeCli.Result usage = cli.run("report", "run", "daily_kpi", "--format", "xlsx");
      assertEquals(2, usage.code(), usage.out());
      assertTrue(usage.out().contains("output format 'xlsx' is not one of csv, html, pdf"), usage.out());
    }
  }
}
