package dev.lode.app;

import dev.lode.schedule.JobState;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code GET /status}: Lode and warehouse versions, for operators and BI tools' health checks,
 * and every periodic job's last run, outcome and next run. Without credentials it answers Lode's
 * version only, in Druid's shape ({@code {"version": …}}): Metabase's Druid JDBC driver reads
 * the version there with a plain GET that carries none.
 */
@Path("/status")
public class StatusResource {
  private final LodeRuntime runtime;

  public StatusResource(LodeRuntime runtime) {
    this.runtime = runtime;
  }

  /** Whether {@code path} (as Jersey names it) is this resource's. */
  static boolean isPath(String path) {
    return path.equals("status") || path.equals("/status") || path.equals("status/") || path.equals("/status/");
  }

  /** Reports whose latest run failed or was not delivered; unreadable report_runs is itself a problem shown. */
  private static java.util.List<Map<String, Object>> reportProblems(LodeContext context) {
    try {
      return new dev.lode.report.ReportRunLog(context.warehouse()::connect).problems().stream()
          .map(p -> {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("report", p.report());
            m.put("startedAt", p.startedAt());
            m.put("status", p.status());
            m.put("delivery", p.deliveryStatus());
            m.put("error", p.error());
            return m;
          }).toList();
    } catch (SQLException e) {
      return java.util.List.of(Map.of("report", "*", "error", "cannot read report_runs: " + e.getMessage()));
    }
  }

  @GET
  @Produces(MediaType.APPLICATION_JSON)
  public Map<String, Object> status(@Context ContainerRequestContext request) throws SQLException {
    Map<String, Object> out = new LinkedHashMap<>();
    if (request.getProperty(SqlUserAuthFilter.USER) == null) {
      out.put("version", LodeVersion.get());
      return out;
    }
    LodeContext context = runtime.context();
    out.put("service", "lode");
    out.put("version", LodeVersion.get());
    out.put("warehouse", context.warehouse().embedded() ? "embedded" : "external");
    out.put("demo", DemoDataset.state(context.config()));
    try (Connection c = context.warehouse().connect(); Statement st = c.createStatement();
         ResultSet rs = st.executeQuery("SELECT version()")) {
      rs.next();
      out.put("clickhouseVersion", rs.getString(1));
    }
    out.put("jobs", runtime.jobs().stream().map(JobState::asMap).toList());
    out.put("reportProblems", reportProblems(context));
    return out;
  }
}
