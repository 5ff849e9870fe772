package dev.lode.console.page;

import dev.lode.config.Credentials.Role;
import dev.lode.console.Console;
import dev.lode.console.PageFrame;
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
import java.util.LinkedHashMap;
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
    PageFrame.Answer catalog = frame.attempt(s, request, "SELECT t.tag_id, t.name, t.owner, t.category, t.sensitivity,"
        + " t.kind, t.status, t.version, t.persons_tagged, t.last_refreshed_at, q.coverage, q.stability_wow,"
        + " q.conversion_lift FROM tags t LEFT JOIN tag_quality q ON q.tag_id = t.tag_id ORDER BY t.tag_id");
    m.put("tags", catalog.records());
    m.put("catalogError", catalog.error());
    m.put("refused", TagCatalog.load(frame.services().config()).refused().stream()
        .map(TagDefinitionException::getMessage).toList());
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
    return PageFrame.seeOther(uri, "tags?done=" + java.net.URLEncoder.encode((retire ? "retired " : "enabled ") + id,
        java.nio.charset.StandardCharsets.UTF_8));
  }
}
