package dev.lode.console.page;

import dev.lode.console.Console;
import dev.lode.console.PageFrame;
import dev.lode.console.session.ConsoleSession;
import dev.lode.console.view.TimeSeriesSvg;
import jakarta.ws.rs.CookieParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code /console/quality}: can the data be trusted? The {@code data_quality} checks (events per
 * source, missing ids, late events, duplicates, misclicks, bot sessions, quarantine, unresolved
 * events) and, per day over the newest 30 days with events, the shares of bot-session events,
 * misclicks and late events from {@code events_quality} — all through the user's own SQL path,
 * so a role that may not read those relations is told so. Both are aggregates over every event,
 * shared by the role's users for a minute ({@code AggregateCache}).
 */
@Path(Console.PATH + "/quality")
public class DataQualityPage {
  /** Days the daily charts cover, counted back from the newest day with events. */
  static final int DAYS = 30;

  private final PageFrame frame;

  public DataQualityPage(PageFrame frame) {
    this.frame = frame;
  }

  @GET
  public Response show(@CookieParam(PageFrame.COOKIE) String cookie, @Context ContainerRequestContext request,
                       @Context UriInfo uri) {
    ConsoleSession s = frame.signedIn(cookie, uri);
    Map<String, Object> m = new LinkedHashMap<>();
    PageFrame.Answer checks = frame.aggregate(s, request,
        "SELECT \"check\", dimension, \"value\", total, share FROM data_quality ORDER BY \"check\", dimension");
    m.put("checks", checks.records());
    m.put("checksError", checks.error());
    m.put("checksAsOf", checks.at().toString());
    PageFrame.Answer daily = frame.aggregate(s, request, "SELECT CAST(event_time AS DATE) AS \"day\", COUNT(*) AS events,"
        + " SUM(CASE WHEN is_bot = 1 THEN 1 ELSE 0 END) AS bot_events,"
        + " SUM(CASE WHEN is_misclick = 1 THEN 1 ELSE 0 END) AS misclicks,"
        + " SUM(CASE WHEN received_time > event_time + INTERVAL '1' DAY THEN 1 ELSE 0 END) AS late_events"
        + " FROM events_quality WHERE event_time > (SELECT MAX(event_time) FROM events_quality) - INTERVAL '"
        + DAYS + "' DAY GROUP BY CAST(event_time AS DATE) ORDER BY \"day\"");
    m.put("dailyError", daily.error());
    m.put("dailyAsOf", daily.at().toString());
    List<Map<String, Object>> days = daily.records();
    m.put("days", days);
    if (!days.isEmpty()) {
      String first = String.valueOf(days.getFirst().get("day"));
      String last = String.valueOf(days.getLast().get("day"));
      m.put("botChart", TimeSeriesSvg.of("share of events in bot sessions", shares(days, "bot_events"), first, last));
      m.put("misclickChart", TimeSeriesSvg.of("share of misclicks", shares(days, "misclicks"), first, last));
      m.put("lateChart", TimeSeriesSvg.of("share of late events", shares(days, "late_events"), first, last));
    }
    return frame.page("quality", s, uri, m);
  }

  /** Per day, {@code column} over the day's events, in percent. */
  static List<Double> shares(List<Map<String, Object>> days, String column) {
    List<Double> out = new ArrayList<>();
    for (Map<String, Object> d : days) {
      double n = ((Number) d.get("events")).doubleValue();
      out.add(n == 0 ? 0 : Math.round(((Number) d.get(column)).doubleValue() / n * 10000) / 100.0);
    }
    return out;
  }
}
