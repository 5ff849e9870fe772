package dev.lode.console.page;

import dev.lode.config.Credentials.Role;
import dev.lode.console.Console;
import dev.lode.console.PageFrame;
import dev.lode.console.PageTimings;
import dev.lode.console.session.ConsoleSession;
import dev.lode.console.view.TimeSeriesSvg;
import dev.lode.schedule.JobState;
import jakarta.ws.rs.CookieParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.io.IOException;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * {@code /console/health}: is data flowing? Events received per hour over the last two days
 * and how far behind the newest one is, the collector's counters and spool, quarantine by
 * reason (examples of the raw input for admins only: it is what a sender sent, PII and all),
 * profile and tag refresh runs, every periodic job, the engine version and the disk. These are
 * operational figures read from the warehouse directly; none holds a person's data.
 */
@Path(Console.PATH + "/health")
public class HealthPage {
  /** Hours the ingest chart covers. */
  static final int HOURS = 48;

  private final PageFrame frame;

  public HealthPage(PageFrame frame) {
    this.frame = frame;
  }

  @GET
  public Response show(@CookieParam(PageFrame.COOKIE) String cookie, @Context UriInfo uri) throws SQLException {
    ConsoleSession s = frame.signedIn(cookie, uri);
    var services = frame.services();
    Map<String, Object> m = new LinkedHashMap<>();
    long connecting = System.nanoTime();
    try (Connection c = services.warehouse().connect(); Statement st = c.createStatement()) {
      PageTimings.current().record("connect", connecting, "warehouse");
      // one statement for the engine, the totals and the chart's series: each statement over the warehouse
      // connection costs a round trip and a plan, which on a small warehouse is most of its time
      String summary = "SELECT version(), (SELECT count() FROM events),"
          + " (SELECT arrayMap(x -> x.2, arraySort(groupArray((h, n)))) FROM (SELECT h, count() AS n FROM ("
          + "SELECT toStartOfHour(received_time) AS h FROM events"
          // bounded above too: a row received "in the future" (a skewed loader clock) would add an hour after
          // this one, which the page would then show as the last hour's count
          + " WHERE received_time >= toStartOfHour(now64(3)) - INTERVAL " + (HOURS - 1) + " HOUR"
          + " AND received_time < toStartOfHour(now64(3)) + INTERVAL 1 HOUR) GROUP BY h"
          + " ORDER BY h WITH FILL FROM toStartOfHour(now64(3)) - INTERVAL " + (HOURS - 1)
          + " HOUR TO toStartOfHour(now64(3)) + INTERVAL 1 HOUR STEP INTERVAL 1 HOUR)),"
          + " count(), max(received_time), dateDiff('second', max(received_time), now64(3)),"
          + " quantileExact(0.5)(dateDiff('second', event_time, received_time)) FROM events"
          + " WHERE received_time >= now64(3) - INTERVAL 1 HOUR OR received_time = (SELECT max(received_time) FROM events)";
      List<Long> perHour = new ArrayList<>();
      long t1 = System.nanoTime();
      try (ResultSet rs = st.executeQuery(summary)) {
        rs.next();
        m.put("engine", rs.getString(1));
        m.put("eventsTotal", rs.getString(2));
        // the driver answers an array of counts as a primitive or a boxed array
        Object counts = rs.getArray(3).getArray();
        for (int i = 0; i < java.lang.reflect.Array.getLength(counts); i++) {
          perHour.add(((Number) java.lang.reflect.Array.get(counts, i)).longValue());
        }
        boolean any = rs.getLong(4) != 0;
        m.put("lastReceived", any ? rs.getString(5) : null);
        m.put("sinceLastSeconds", any ? rs.getLong(6) : null);
        m.put("medianLagSeconds", any ? rs.getLong(7) : null);
      }
      PageTimings.current().statement(summary, t1, false);
      long lastHour = perHour.isEmpty() ? 0 : perHour.getLast();
      m.put("eventsLastHour", lastHour);
      m.put("eventsPerHourChart", TimeSeriesSvg.of("events received per hour", perHour, HOURS + " h ago", "now"));
      List<Map<String, Object>> reasons = new ArrayList<>();
      String sql3 = "SELECT reason_code, count(), max(received_time), argMax(detail, received_time),"
          + " substring(argMax(raw_payload, received_time), 1, 300) FROM quarantine GROUP BY reason_code"
          + " ORDER BY count() DESC LIMIT 50";
      long t3 = System.nanoTime();
      try (ResultSet rs = st.executeQuery(sql3)) {
        while (rs.next()) {
          Map<String, Object> r = new LinkedHashMap<>();
          r.put("reason", rs.getString(1));
          r.put("count", rs.getLong(2));
          r.put("latest", rs.getString(3));
          r.put("detail", rs.getString(4));
          r.put("example", s.is(Role.ADMIN) ? rs.getString(5) : null);
          reasons.add(r);
        }
      }
      PageTimings.current().statement(sql3, t3, false);
      m.put("quarantine", reasons);
      List<Map<String, Object>> runs = new ArrayList<>();
      String sql4 = "SELECT target, mode, status, started_at, dateDiff('millisecond', started_at,"
          + " finished_at), rows_written, rows_removed, error FROM refresh_runs ORDER BY started_at DESC LIMIT 12";
      long t4 = System.nanoTime();
      try (ResultSet rs = st.executeQuery(sql4)) {
        while (rs.next()) {
          Map<String, Object> r = new LinkedHashMap<>();
          r.put("target", rs.getString(1));
          r.put("mode", rs.getString(2));
          r.put("status", rs.getString(3));
          r.put("started", rs.getString(4));
          r.put("millis", rs.getLong(5));
          r.put("written", rs.getLong(6));
          r.put("removed", rs.getLong(7));
          r.put("error", rs.getString(8));
          runs.add(r);
        }
      }
      PageTimings.current().statement(sql4, t4, false);
      m.put("refreshRuns", runs);
    }
    long local = System.nanoTime();
    m.put("jobs", services.jobs().get().stream().map(JobState::asMap).toList());
    if (services.collector() != null) {
      m.put("accepted", services.collector().accepted());
      m.put("flushed", services.collector().flushedEvents());
      m.put("flushes", services.collector().flushes());
    }
    m.put("spoolBytes", services.spoolDir() == null ? null : bytes(services.spoolDir()));
    java.nio.file.Path data = services.config().dataDir();
    try {
      FileStore store = Files.getFileStore(Files.exists(data) ? data : java.nio.file.Path.of("."));
      m.put("diskFree", store.getUsableSpace());
      m.put("diskTotal", store.getTotalSpace());
    } catch (IOException e) {
      m.put("diskError", e.getMessage());
    }
    PageTimings.current().record("local", local, "jobs, collector, spool and disk");
    return frame.page("health", s, uri, m);
  }

  /** The bytes the files under {@code dir} take (0 when it does not exist). */
  static long bytes(java.nio.file.Path dir) {
    if (!Files.isDirectory(dir)) {
      return 0;
    }
    try (Stream<java.nio.file.Path> files = Files.walk(dir)) {
      return files.filter(Files::isRegularFile).mapToLong(p -> {
        try {
          return Files.size(p);
        } catch (IOException e) {
          return 0; // a segment removed while we count
        }
      }).sum();
    } catch (IOException | java.io.UncheckedIOException e) {
      return -1;
    }
  }
}
