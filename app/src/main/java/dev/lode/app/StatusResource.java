package dev.lode.app;

import dev.lode.schedule.JobState;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code GET /status}: Lode and warehouse versions, for operators and BI tools' health checks,
 * and every periodic job's last run, outcome and next run.
 */
@Path("/status")
public class StatusResource {
  private final LodeRuntime runtime;

  public StatusResource(LodeRuntime runtime) {
    this.runtime = runtime;
  }

  @GET
  @Produces(MediaType.APPLICATION_JSON)
  public Map<String, Object> status() throws SQLException {
    LodeContext context = runtime.context();
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("service", "lode");
    out.put("version", LodeVersion.get());
    out.put("warehouse", context.warehouse().embedded() ? "embedded" : "external");
    try (Connection c = context.warehouse().connect(); Statement st = c.createStatement();
         ResultSet rs = st.executeQuery("SELECT version()")) {
      rs.next();
      out.put("clickhouseVersion", rs.getString(1));
    }
    out.put("jobs", runtime.jobs().stream().map(JobState::asMap).toList());
    return out;
  }
}
