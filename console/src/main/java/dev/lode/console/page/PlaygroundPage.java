package dev.lode.console.page;

import dev.lode.config.Credentials.Role;
import dev.lode.console.Console;
import dev.lode.console.PageFrame;
import dev.lode.console.SqlResult;
import dev.lode.console.session.ConsoleSession;
import dev.lode.console.view.BarChartSvg;
import jakarta.ws.rs.CookieParam;
import jakarta.ws.rs.FormParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code /console/sql}: a SQL playground like ClickHouse's {@code /play}. The statement runs as
 * the signed-in user through the SQL endpoint's own path — the role's schema and masking, its
 * limits, the query audit — so it answers exactly what the user's BI tool would; the result
 * comes back as a table and, when it has a label and a number, a bar chart. The session keeps
 * the last statements; {@code /console/sql/functions} lists what the role may call, from the
 * {@code functions} table.
 */
@Path(Console.PATH + "/sql")
public class PlaygroundPage {
  /** Rows the playground shows at most. */
  static final int MAX_ROWS = 1000;
  private static final Set<Role> EVERYONE = Set.of(Role.ADMIN, Role.ANALYST, Role.VIEWER);

  private final PageFrame frame;

  public PlaygroundPage(PageFrame frame) {
    this.frame = frame;
  }

  @GET
  public Response show(@CookieParam(PageFrame.COOKIE) String cookie, @QueryParam("sql") String sql,
                       @Context ContainerRequestContext request, @Context UriInfo uri) {
    ConsoleSession s = frame.signedIn(cookie, uri);
    return page(s, request, uri, sql == null ? "SELECT * FROM functions" : sql, null, null);
  }

  @POST
  public Response run(@CookieParam(PageFrame.COOKIE) String cookie, @FormParam("csrf") String csrf,
                      @FormParam("sql") String sql, @Context ContainerRequestContext request, @Context UriInfo uri) {
    ConsoleSession s = frame.posted(cookie, csrf, uri, EVERYONE);
    if (sql == null || sql.isBlank()) {
      return page(s, request, uri, "", null, "enter a statement");
    }
    try {
      SqlResult r = frame.connection(s, request).query(sql, List.of(), MAX_ROWS, false);
      s.ran(sql, r.rows().size() + (r.truncated() ? "+" : "") + " rows in " + r.millis() + " ms");
      return page(s, request, uri, sql, r, null);
    } catch (SQLException | RuntimeException e) {
      String reason = e.getMessage() == null ? e.toString() : e.getMessage();
      if (e instanceof SQLException q && q.getSQLState() != null && !reason.contains(q.getSQLState())) {
        reason = "[" + q.getSQLState() + "] " + reason;
      }
      s.ran(sql, "failed");
      return page(s, request, uri, sql, null, reason);
    }
  }

  @GET
  @Path("functions")
  public Response functions(@CookieParam(PageFrame.COOKIE) String cookie, @Context ContainerRequestContext request,
                            @Context UriInfo uri) {
    ConsoleSession s = frame.signedIn(cookie, uri);
    PageFrame.Answer a = frame.attempt(s, request, "SELECT function_name, function_kind, parameters, origin,"
        + " documentation FROM functions ORDER BY origin DESC, function_name");
    return frame.page("functions", s, uri, Map.of("functions", a.records(), "error", a.error() == null ? "" : a.error()));
  }

  private Response page(ConsoleSession s, ContainerRequestContext request, UriInfo uri, String sql, SqlResult result,
                        String error) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("sql", sql);
    m.put("error", error);
    m.put("history", s.history());
    if (result != null) {
      m.put("result", result);
      m.put("chart", chart(result));
    }
    PageFrame.Answer lode = frame.attempt(s, request,
        "SELECT function_name FROM functions WHERE origin = 'lode' ORDER BY function_name");
    m.put("lodeFunctions", lode.records().stream().map(r -> r.get("function_name")).toList());
    return frame.page("sql", s, uri, m);
  }

  /** A bar chart of the first numeric column by the first other column, or null when the result has no such pair. */
  static String chart(SqlResult r) {
    if (r.rows().isEmpty() || r.columns().size() < 2) {
      return null;
    }
    int value = -1;
    for (int i = 0; i < r.columns().size(); i++) {
      int col = i;
      if (r.rows().stream().allMatch(row -> row.get(col) == null || row.get(col) instanceof Number)
          && r.rows().stream().anyMatch(row -> row.get(col) instanceof Number)) {
        value = i;
        break;
      }
    }
    if (value < 0) {
      return null;
    }
    int label = value == 0 ? 1 : 0;
    List<String> labels = new ArrayList<>();
    List<Number> values = new ArrayList<>();
    for (List<Object> row : r.rows()) {
      labels.add(row.get(label) == null ? null : row.get(label).toString());
      values.add(row.get(value) == null ? 0 : (Number) row.get(value));
    }
    return BarChartSvg.of(r.columns().get(value) + " by " + r.columns().get(label), labels, values);
  }
}
