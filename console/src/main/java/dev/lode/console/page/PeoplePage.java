package dev.lode.console.page;

import dev.lode.config.Credentials.Role;
import dev.lode.console.Console;
import dev.lode.console.PageFrame;
import dev.lode.console.session.ConsoleSession;
import dev.lode.console.view.IdentityGraphSvg;
import dev.lode.erasure.Erasure;
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
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * {@code /console/people} (admins and analysts): find a person by any id they hold, and see the
 * profile, the tags with their evidence, the recommendations with their reasons, and the
 * identity graph with merges and conflicts. Every figure is read through the user's own SQL
 * path, so an analyst searches and sees the pseudonymised ids their SQL shows, never a raw one.
 * Admins may erase the person: a preview of what would go, a confirmation that repeats the id,
 * then the erasure and its record.
 */
@Path(Console.PATH + "/people")
public class PeoplePage {
  private static final Set<Role> READERS = Set.of(Role.ADMIN, Role.ANALYST);

  private final PageFrame frame;

  public PeoplePage(PageFrame frame) {
    this.frame = frame;
  }

  @GET
  public Response show(@CookieParam(PageFrame.COOKIE) String cookie, @QueryParam("q") String q,
                       @QueryParam("person") String chosen, @Context ContainerRequestContext request,
                       @Context UriInfo uri) {
    ConsoleSession s = frame.signedIn(cookie, uri, READERS);
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("q", q == null ? "" : q);
    if (s.is(Role.ADMIN)) {
      PageFrame.Answer erasures = frame.attempt(s, request, "SELECT erasure_id, requested_at, requested_by, persons, ids,"
          + " status FROM erasures ORDER BY requested_at DESC LIMIT 10");
      m.put("erasures", erasures.records());
    }
    String id = chosen != null && !chosen.isBlank() ? chosen : q;
    if (id == null || id.isBlank()) {
      return frame.page("people", s, uri, m);
    }
    PageFrame.Answer found = frame.attempt(s, request, "SELECT DISTINCT person_id FROM identities WHERE is_deleted = 0"
        + " AND (id_value = ? OR person_id = ?) ORDER BY person_id", id, id);
    m.put("searchError", found.error());
    List<Object> persons = found.records().stream().map(r -> r.get("person_id")).filter(Objects::nonNull).toList();
    if (persons.isEmpty() && found.ok()) {
      // a person with a profile but no identity row (a profile loaded alone) is still found by its id,
      PageFrame.Answer profile = frame.attempt(s, request, "SELECT person_id FROM profiles WHERE person_id = ?", id);
      persons = profile.records().stream().map(r -> r.get("person_id")).filter(Objects::nonNull).toList();
    }
    if (persons.isEmpty() && found.ok()) {
      // identities hold an email or phone only as its hash; the person's own row holds it as the user's SQL shows it
      PageFrame.Answer contact = frame.attempt(s, request, "SELECT DISTINCT person_id FROM persons WHERE is_deleted = 0"
          + " AND (email = ? OR phone = ?) ORDER BY person_id", id, id);
      persons = contact.records().stream().map(r -> r.get("person_id")).filter(Objects::nonNull).toList();
    }
    m.put("persons", persons);
    if (persons.size() != 1) {
      return frame.page("people", s, uri, m);
    }
    String person = persons.getFirst().toString();
    m.put("person", person);
    PageFrame.Answer profile = frame.attempt(s, request, "SELECT * FROM profiles WHERE person_id = ?", person);
    m.put("profile", profile.ok() && !profile.records().isEmpty() ? profile.records().getFirst() : null);
    m.put("profileError", profile.error());
    PageFrame.Answer tags = frame.attempt(s, request, "SELECT tag_id, tag_name, \"value\", score, evidence, computed_at"
        + " FROM person_tags WHERE person_id = ? ORDER BY tag_id", person);
    m.put("tags", tags.records());
    m.put("tagsError", tags.error());
    // the person as a parameter: one prepared statement serves every person's page
    PageFrame.Answer recs = frame.attempt(s, request, "SELECT item_id, score, item_rank, source, reason FROM"
        + " TABLE(recommend(?, 10)) ORDER BY item_rank", person);
    m.put("recommendations", recs.records());
    m.put("recommendationsError", recs.error());
    PageFrame.Answer ids = frame.attempt(s, request, "SELECT id_type, id_value, source, link_reason, first_seen"
        + " FROM identities WHERE person_id = ? AND is_deleted = 0 ORDER BY id_type, id_value", person);
    PageFrame.Answer merges = frame.attempt(s, request, "SELECT merged_at, from_person_id, into_person_id, link_id_type,"
        + " link_id_value, source FROM identity_merges WHERE from_person_id = ? OR into_person_id = ?"
        + " ORDER BY merged_at DESC", person, person);
    PageFrame.Answer conflicts = frame.attempt(s, request, "SELECT detected_at, person_a, person_b, id_type, id_value,"
        + " source FROM identity_conflicts WHERE person_a = ? OR person_b = ? ORDER BY detected_at DESC", person, person);
    m.put("ids", ids.records());
    m.put("idsError", ids.error());
    m.put("merges", merges.records());
    m.put("conflicts", conflicts.records());
    List<IdentityGraphSvg.Node> idNodes = new ArrayList<>();
    for (Map<String, Object> r : ids.records()) {
      idNodes.add(new IdentityGraphSvg.Node(String.valueOf(r.get("id_value")), String.valueOf(r.get("id_type")), false));
    }
    List<IdentityGraphSvg.Node> others = new ArrayList<>();
    for (Map<String, Object> r : merges.records()) {
      String other = person.equals(String.valueOf(r.get("into_person_id"))) ? String.valueOf(r.get("from_person_id"))
          : String.valueOf(r.get("into_person_id"));
      others.add(new IdentityGraphSvg.Node(other, "merged via " + r.get("link_id_type"), false));
    }
    for (Map<String, Object> r : conflicts.records()) {
      String other = person.equals(String.valueOf(r.get("person_a"))) ? String.valueOf(r.get("person_b"))
          : String.valueOf(r.get("person_a"));
      others.add(new IdentityGraphSvg.Node(other, "conflict on " + r.get("id_type"), true));
    }
    m.put("graph", IdentityGraphSvg.of(person, idNodes, others));
    return frame.page("people", s, uri, m);
  }

  /** The first step of an erasure: what would be deleted, and a form to confirm it. */
  @POST
  @Path("erase/preview")
  public Response preview(@CookieParam(PageFrame.COOKIE) String cookie, @FormParam("csrf") String csrf,
                          @FormParam("id") String id, @Context UriInfo uri) {
    ConsoleSession s = frame.posted(cookie, csrf, uri, Set.of(Role.ADMIN));
    if (id == null || id.isBlank()) {
      return frame.page(400, "refused", s, uri, Map.of("reason", "name the id of the person to erase"));
    }
    try {
      Erasure.Preview p = frame.services().erasure().get().preview(id);
      return frame.page("erase", s, uri, Map.of("id", id, "preview", p));
    } catch (IllegalArgumentException e) {
      return frame.page(404, "refused", s, uri, Map.of("reason", e.getMessage()));
    }
  }

  /** The erasure itself, once the admin typed the id again. */
  @POST
  @Path("erase")
  public Response erase(@CookieParam(PageFrame.COOKIE) String cookie, @FormParam("csrf") String csrf,
                        @FormParam("id") String id, @FormParam("confirm") String confirm, @Context UriInfo uri) {
    ConsoleSession s = frame.posted(cookie, csrf, uri, Set.of(Role.ADMIN));
    if (id == null || id.isBlank() || !id.equals(confirm)) {
      return frame.page(400, "refused", s, uri, Map.of("reason",
          "the confirmation must repeat the id exactly; nothing was erased"));
    }
    try {
      Erasure.Report r = frame.services().erasure().get().forget(id, s.user().name());
      return frame.page(r.complete() ? 200 : 500, "erased", s, uri, Map.of("report", r));
    } catch (IllegalArgumentException e) {
      return frame.page(404, "refused", s, uri, Map.of("reason", e.getMessage()));
    }
  }
}
