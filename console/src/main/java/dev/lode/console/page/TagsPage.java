package dev.lode.console.page;

import dev.lode.config.Credentials.Role;
import dev.lode.console.Console;
import dev.lode.console.PageFrame;
import dev.lode.console.PageTimings;
import dev.lode.console.session.ConsoleSession;
import dev.lode.tags.TagCatalog;
import dev.lode.tags.TagDefinitionException;
import dev.lode.tags.TagRegistry;
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
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code /console/tags}: tag governance. The catalog (sensitivity, owner, status, persons tagged,
 * coverage, week-over-week stability, conversion lift) is read through the user's own SQL path,
 * so a role that may not read {@code tags} sees why instead; the definitions the sensitivity
 * policy or the loader refused, with the reason; retire and enable for admins; and one person's
 * explanation of a tag ({@code tag_explain}), as masked as the user's SQL.
 */
@Path(Console.PATH + "/tags")
public class TagsPage {
  private final PageFrame frame;

  public TagsPage(PageFrame frame) {
    this.frame = frame;
  }

  @GET
  public Response show(@CookieParam(PageFrame.COOKIE) String cookie, @QueryParam("person") String person,
                       @QueryParam("tag") String tag, @QueryParam("done") String done,
                       @Context ContainerRequestContext request, @Context UriInfo uri) {
    ConsoleSession s = frame.signedIn(cookie, uri);
    Map<String, Object> m = new LinkedHashMap<>();
    // the catalog itself is read fresh (a retirement shows at once); the quality figures are aggregates over
    // every tagged person that move only with a refresh, shared by the role's users for a minute
    PageFrame.Answer catalog = frame.attempt(s, request, "SELECT tag_id, name, owner, category, sensitivity,"
        + " kind, status, version, persons_tagged, last_refreshed_at FROM tags ORDER BY tag_id");
    PageFrame.Answer quality = catalog.ok() ? frame.aggregate(s, request,
        "SELECT tag_id, coverage, stability_wow, conversion_lift FROM tag_quality") : catalog;
    m.put("tags", withQuality(catalog.records(), quality.records()));
    m.put("catalogError", catalog.ok() ? quality.error() : catalog.error());
    m.put("qualityAsOf", quality.at().toString());
    long t0 = System.nanoTime();
    m.put("refused", TagCatalog.load(frame.services().config()).refused().stream()
        .map(TagDefinitionException::getMessage).toList());
    PageTimings.current().record("definitions", t0, "tag definition files read and checked");
    m.put("done", done);
    m.put("person", person == null ? "" : person);
    m.put("tag", tag == null ? "" : tag);
    if (person != null && !person.isBlank() && tag != null && !tag.isBlank()) {
      PageFrame.Answer why = frame.attempt(s, request, "SELECT * FROM TABLE(tag_explain(" + LodeSqlText.string(person)
          + ", " + LodeSqlText.string(tag) + "))");
      m.put("explanation", why.ok() ? why.result() : null);
      m.put("explanationError", why.error());
    }
    return frame.page("tags", s, uri, m);
  }

  /**
   * Each catalog row with its tag's quality figures (null where {@code tag_quality} has no row:
   * a retired tag), as {@code tags LEFT JOIN tag_quality USING (tag_id)} would give.
   */
  static List<Map<String, Object>> withQuality(List<Map<String, Object>> tags, List<Map<String, Object>> quality) {
    Map<Object, Map<String, Object>> byTag = new HashMap<>();
    for (Map<String, Object> q : quality) {
      byTag.putIfAbsent(q.get("tag_id"), q);
    }
    List<Map<String, Object>> out = new ArrayList<>();
    for (Map<String, Object> t : tags) {
      Map<String, Object> row = new LinkedHashMap<>(t);
      Map<String, Object> q = byTag.getOrDefault(t.get("tag_id"), Map.of());
      for (String c : List.of("coverage", "stability_wow", "conversion_lift")) {
        row.put(c, q.get(c));
      }
      out.add(row);
    }
    return out;
  }

  @POST
  @Path("{id}/retire")
  public Response retire(@CookieParam(PageFrame.COOKIE) String cookie, @FormParam("csrf") String csrf,
                         @jakarta.ws.rs.PathParam("id") String id, @Context UriInfo uri) throws SQLException {
    ConsoleSession s = frame.posted(cookie, csrf, uri, Set.of(Role.ADMIN));
    return change(s, uri, id, true);
  }

  @POST
  @Path("{id}/enable")
  public Response enable(@CookieParam(PageFrame.COOKIE) String cookie, @FormParam("csrf") String csrf,
                         @jakarta.ws.rs.PathParam("id") String id, @Context UriInfo uri) throws SQLException {
    ConsoleSession s = frame.posted(cookie, csrf, uri, Set.of(Role.ADMIN));
    return change(s, uri, id, false);
  }

  private Response change(ConsoleSession s, UriInfo uri, String id, boolean retire) throws SQLException {
    TagRegistry registry = new TagRegistry(frame.services().warehouse());
    try {
      if (retire) {
        registry.retire(id, s.user().name());
      } else {
        registry.enable(id);
      }
    } catch (IllegalArgumentException e) {
      return frame.page(404, "refused", s, uri, Map.of("reason", e.getMessage()));
    }
    // tag_quality lists active tags only: the shared figures are stale now
    frame.forgetAggregates();
    return PageFrame.seeOther(uri, "tags?done=" + java.net.URLEncoder.encode((retire ? "retired " : "enabled ") + id,
        java.nio.charset.StandardCharsets.UTF_8));
  }
}
