package dev.lode.console.page;

import dev.lode.config.Credentials.Role;
import dev.lode.console.Console;
import dev.lode.console.PageFrame;
import dev.lode.console.PageTimings;
import dev.lode.console.session.ConsoleSession;
import dev.lode.report.ReportDefinition;
import dev.lode.report.ReportRun;
import dev.lode.report.ReportSettings;
import jakarta.ws.rs.CookieParam;
import jakarta.ws.rs.FormParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * {@code /console/reports}: the gallery of report definitions (what each shows, its schedule and
 * formats) with the latest runs from {@code report_runs} and their status, a "run now" for
 * admins and analysts (one attempt, with the definition's defaults, recorded with trigger
 * {@code console}), and each report's latest HTML output. Reports are what managers (viewers)
 * read, so every role sees the gallery and the outputs.
 */
@Path(Console.PATH + "/reports")
public class ReportsPage {
  private static final Set<Role> RUNNERS = Set.of(Role.ADMIN, Role.ANALYST);

  private final PageFrame frame;

  public ReportsPage(PageFrame frame) {
    this.frame = frame;
  }

  @GET
  public Response show(@CookieParam(PageFrame.COOKIE) String cookie, @QueryParam("done") String done,
                       @Context UriInfo uri) throws SQLException {
    ConsoleSession s = frame.signedIn(cookie, uri);
    ReportSettings settings = ReportSettings.of(frame.services().config());
    List<Map<String, Object>> runs = new ArrayList<>();
    String latestRuns = "SELECT run_id, report, trigger, started_at, finished_at, status, rows,"
        + " duration_ms, error FROM report_runs FINAL ORDER BY started_at DESC, updated_at DESC LIMIT 40";
    long t0 = System.nanoTime();
    try (Connection c = frame.services().warehouse().connect(); Statement st = c.createStatement();
         ResultSet rs = st.executeQuery(latestRuns)) {
      while (rs.next()) {
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("run_id", rs.getString(1));
        r.put("report", rs.getString(2));
        r.put("trigger", rs.getString(3));
        r.put("started_at", rs.getString(4));
        r.put("finished_at", rs.getString(5));
        r.put("status", rs.getString(6));
        r.put("rows", rs.getLong(7));
        r.put("duration_ms", rs.getLong(8));
        r.put("error", rs.getString(9));
        runs.add(r);
      }
    }
    PageTimings.current().statement(latestRuns, t0, false);
    long t1 = System.nanoTime();
    List<Map<String, Object>> gallery = new ArrayList<>();
    for (ReportDefinition d : settings.catalog().all()) {
      Map<String, Object> g = new LinkedHashMap<>();
      g.put("name", d.name());
      g.put("title", d.title());
      g.put("description", d.description());
      g.put("schedule", d.schedule().map(Object::toString).orElse("none"));
      g.put("formats", d.formats().stream().map(f -> f.extension()).sorted().toList());
      g.put("latest", runs.stream().filter(r -> d.name().equals(r.get("report"))).findFirst().orElse(null));
      g.put("hasOutput", Files.exists(settings.outputDir().resolve(d.name()).resolve("latest.html")));
      gallery.add(g);
    }
    PageTimings.current().record("gallery", t1, "report definitions and outputs");
    return frame.page("reports", s, uri, Map.of("gallery", gallery, "runs", runs, "done", done == null ? "" : done,
        "mayRun", RUNNERS.contains(s.user().role())));
  }

  @POST
  @Path("{name}/run")
  public Response run(@CookieParam(PageFrame.COOKIE) String cookie, @FormParam("csrf") String csrf,
                      @PathParam("name") String name, @Context UriInfo uri) {
    ConsoleSession s = frame.posted(cookie, csrf, uri, RUNNERS);
    ReportSettings settings = ReportSettings.of(frame.services().config());
    Optional<ReportDefinition> report = settings.catalog().find(name);
    if (report.isEmpty()) {
      return frame.page(404, "refused", s, uri, Map.of("reason", "no report named '" + name + "'"));
    }
    // one attempt, as on the command line: the person who pressed the button decides whether to retry
    ReportSettings once = new ReportSettings(settings.definitionsDir(), settings.outputDir(), 1, Duration.ZERO,
        settings.timeoutSeconds(), false, settings.zone(), settings.poll());
    ReportRun run = once.job(frame.services().warehouse()::connect, Clock.system(settings.zone())).run(report.get(),
        Map.of(), report.get().formats(), settings.outputDir(), "console", Optional.empty());
    String outcome = name + ": " + run.status().name().toLowerCase() + (run.status() == ReportRun.Status.SUCCEEDED
        ? ", " + run.rows() + " rows" : ", " + run.error());
    return PageFrame.seeOther(uri, "reports?done=" + URLEncoder.encode(outcome, StandardCharsets.UTF_8));
  }

  @GET
  @Path("{name}/latest")
  public Response latest(@CookieParam(PageFrame.COOKIE) String cookie, @PathParam("name") String name,
                         @Context UriInfo uri) throws IOException {
    ConsoleSession s = frame.signedIn(cookie, uri);
    ReportSettings settings = ReportSettings.of(frame.services().config());
    if (settings.catalog().find(name).isEmpty()) {
      return frame.page(404, "refused", s, uri, Map.of("reason", "no report named '" + name + "'"));
    }
    java.nio.file.Path file = settings.outputDir().resolve(name).resolve("latest.html");
    if (!Files.exists(file)) {
      return frame.page(404, "refused", s, uri, Map.of("reason", "report '" + name + "' has no HTML output yet"));
    }
    return PageFrame.secured(Response.ok(Files.readAllBytes(file), MediaType.TEXT_HTML_TYPE.withCharset("UTF-8")))
        .build();
  }
}
