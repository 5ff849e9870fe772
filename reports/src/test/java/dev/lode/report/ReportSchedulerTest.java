package dev.lode.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lode.schedule.JobScheduler;
import dev.lode.testing.TestWarehouse;
import dev.lode.warehouse.Warehouse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The scheduler on an injected clock: nothing runs before the cron time, the report runs
 * at it (files written, run recorded as succeeded for that time), and a broken report is
 * retried and recorded as failed with the engine's error, each attempt's error kept.
 */
class ReportSchedulerTest {
  private static final String OK = """
      -- title: Scheduler check
      -- param: day Date = today-1 | the day before the run
      -- schedule: 0 6 * * *
      -- chart: bar x=day y=n
      SELECT {day:Date} AS day, toUInt64(3) AS n
      """;
  private static final String BROKEN = """
      -- title: Broken on purpose
      -- schedule: */15 * * * *
      -- formats: csv
      SELECT count() AS n FROM no_such_table_for_reports
      """;

  @Test
  void runsAtCronTimeAndRecordsFailures() throws Exception {
    Warehouse w = TestWarehouse.get();
    MutableClock clock = new MutableClock(Instant.parse("2031-05-10T05:59:30Z"));
    ReportCatalog catalog = ReportCatalog.of(List.of(ReportDefinition.parse("sched_ok", OK),
        ReportDefinition.parse("sched_broken", BROKEN)));
    Path out = TestWarehouse.freshDir("report-out");
    ReportJob job = new ReportJob(new ReportQuery(w::connect, 60), new ReportRunLog(w::connect), clock, 3,
        Duration.ofMillis(10));
    try (JobScheduler jobs = new JobScheduler();
         ReportScheduler scheduler = new ReportScheduler(catalog, job, ZoneOffset.UTC, out, Duration.ofMillis(20))) {
      assertEquals(ZonedDateTime.parse("2031-05-10T06:00Z"), scheduler.nextRun("sched_ok").orElseThrow());
      scheduler.start(jobs);
      Thread.sleep(400);
      assertEquals(0, runs(w, "sched_ok").size(), "nothing before 06:00");
      assertEquals(0, runs(w, "sched_broken").size(), "nothing before 06:00");

      clock.set(Instant.parse("2031-05-10T06:00:00.250Z"));
      List<Map<String, Object>> ok = awaitFinished(w, "sched_ok");
      List<Map<String, Object>> broken = awaitFinished(w, "sched_broken");

      assertEquals(1, ok.size(), ok.toString());
      Map<String, Object> run = ok.get(0);
      assertEquals("succeeded", run.get("status"));
      assertEquals("schedule", run.get("trigger"));
      assertEquals("2031-05-10 06:00:00", run.get("scheduled_for"));
      assertEquals(1L, run.get("rows"));
      assertEquals(1L, run.get("attempts"));
      assertEquals("{'day':'2031-05-09'}", run.get("parameters"));
      Path csv = out.resolve("sched_ok").resolve("sched_ok_20310510T060000Z.csv");
      assertEquals("day,n\r\n2031-05-09,3\r\n", Files.readString(csv, StandardCharsets.UTF_8));
      assertTrue(Files.readString(out.resolve("sched_ok").resolve("latest.html")).contains("<svg"));

      assertEquals(1, broken.size(), broken.toString());
      Map<String, Object> failed = broken.get(0);
      assertEquals("failed", failed.get("status"));
      assertEquals(3L, failed.get("attempts"), "retried twice after the first failure");
      String error = (String) failed.get("error");
      assertTrue(error.contains("UNKNOWN_TABLE") && error.contains("no_such_table_for_reports"), error);
      assertEquals(3, ((String[]) failed.get("attempt_errors")).length);
      assertEquals("", failed.get("outputs_joined"));

      // each fires once per cron time: the next ones are tomorrow 06:00 and 06:15
      assertEquals(ZonedDateTime.parse("2031-05-11T06:00Z"), scheduler.nextRun("sched_ok").orElseThrow());
      assertEquals(ZonedDateTime.parse("2031-05-10T06:15Z"), scheduler.nextRun("sched_broken").orElseThrow());
      clock.set(Instant.parse("2031-05-10T06:10:00Z"));
      Thread.sleep(300);
      assertEquals(1, runs(w, "sched_ok").size());
      assertEquals(1, runs(w, "sched_broken").size());
    }
  }

  private static List<Map<String, Object>> awaitFinished(Warehouse w, String report) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (System.nanoTime() < deadline) {
      List<Map<String, Object>> r = runs(w, report);
      if (!r.isEmpty() && r.stream().noneMatch(m -> m.get("status").equals("running"))) {
        return r;
      }
      Thread.sleep(50);
    }
    throw new AssertionError("report " + report + " did not finish: " + runs(w, report));
  }

  private static List<Map<String, Object>> runs(Warehouse w, String report) throws Exception {
    try (Connection c = w.connect(); PreparedStatement ps = c.prepareStatement("SELECT status, trigger,"
        + " toString(scheduled_for) AS sf, rows, attempts, error, attempt_errors, toString(parameters),"
        + " arrayStringConcat(outputs, ',') FROM report_runs FINAL WHERE report = ? ORDER BY started_at")) {
      ps.setString(1, report);
      List<Map<String, Object>> out = new ArrayList<>();
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          Array errors = rs.getArray(7);
          out.add(Map.of("status", rs.getString(1), "trigger", rs.getString(2),
              "scheduled_for", rs.getString(3).replaceAll("\\.000$", ""), "rows", rs.getLong(4),
              "attempts", rs.getLong(5), "error", rs.getString(6), "attempt_errors", (String[]) errors.getArray(),
              "parameters", rs.getString(8), "outputs_joined", rs.getString(9)));
        }
      }
      return out;
    }
  }
}
