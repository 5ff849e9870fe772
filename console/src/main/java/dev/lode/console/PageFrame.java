package dev.lode.console;

import dev.lode.config.Credentials;
import dev.lode.console.session.ConsoleSession;
import dev.lode.console.session.Sessions;
import dev.lode.console.view.Templates;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.CacheControl;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.net.URI;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What every console page does around its own content: find the signed-in session (or send the
 * browser to sign in), check the role and the CSRF token, run the user's SQL, and answer the
 * rendered page with headers that keep it out of caches and frames and allow no script.
 */
public final class PageFrame {
  /** The session cookie's name. */
  public static final String COOKIE = "lode_console";
  /** The request property the hosting application records the client's address in (the login back-off's key). */
  public static final String CLIENT_ADDRESS = "lode.client-address";
  /** Rows a page reads at most from one query. */
  public static final int PAGE_ROWS = 500;

  private static final String CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data:;"
      + " form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

  private final ConsoleServices services;
  private final Sessions sessions;
  private final Templates templates;
  private final AggregateCache aggregates;
  private final UserConnections connections;

  PageFrame(ConsoleServices services, Sessions sessions, Templates templates) {
    this.services = services;
    this.sessions = sessions;
    this.templates = templates;
    this.aggregates = new AggregateCache(services.config().getInt("lode.console.aggregate-cache-seconds", 60));
    this.connections = new UserConnections(services.sql(), services.config().getInt("lode.console.connection-idle-seconds",
        300));
  }

  public ConsoleServices services() {
    return services;
  }

  public Sessions sessions() {
    return sessions;
  }

  /** The session of the request's cookie; without one, the browser is sent to the sign-in page. */
  public ConsoleSession signedIn(String cookie, UriInfo uri) {
    return sessions.find(cookie).orElseThrow(() -> new WebApplicationException(
        Response.seeOther(URI.create(base(uri) + Console.PATH + "/login")).build()));
  }

  /** The session, which must hold one of {@code roles}: otherwise the page answers 403 naming who may see it. */
  public ConsoleSession signedIn(String cookie, UriInfo uri, Set<Credentials.Role> roles) {
    ConsoleSession s = signedIn(cookie, uri);
    if (!roles.contains(s.user().role())) {
      throw new WebApplicationException(page(403, "refused", s, uri, Map.of("reason", "this page is for "
          + roles.stream().map(r -> r.name().toLowerCase()).sorted().toList() + "; you are signed in as "
          + s.user().role().name().toLowerCase())));
    }
    return s;
  }

  /** A POST's session: signed in, and the form's {@code csrf} field must be the session's token (403 otherwise). */
  public ConsoleSession posted(String cookie, String csrf, UriInfo uri, Set<Credentials.Role> roles) {
    ConsoleSession s = signedIn(cookie, uri);
    if (!Sessions.csrfMatches(s, csrf)) {
      throw new WebApplicationException(page(403, "refused", s, uri,
          Map.of("reason", "the form's CSRF token is missing or stale: reload the page and send it again")));
    }
    if (!roles.contains(s.user().role())) {
      throw new WebApplicationException(page(403, "refused", s, uri, Map.of("reason", "only "
          + roles.stream().map(r -> r.name().toLowerCase()).sorted().toList() + " may do this")));
    }
    return s;
  }

  /** Runs {@code sql} as the session's user through the SQL endpoint's path. */
  public SqlResult query(ConsoleSession s, ContainerRequestContext request, String sql, Object... parameters)
      throws SQLException {
    UserSql.Connection c = connection(s, request);
    long t0 = System.nanoTime();
    try {
      return c.query(sql, List.of(parameters), PAGE_ROWS, true);
    } finally {
      PageTimings.current().statement(sql, t0, false);
    }
  }

  /** The request's connection as the session's user, opened on first use; {@link RequestSql} closes it. */
  public UserSql.Connection connection(ConsoleSession s, ContainerRequestContext request) throws SQLException {
    if (request.getProperty(RequestSql.PROPERTY) instanceof UserSql.Connection c) {
      return c;
    }
    long t0 = System.nanoTime();
    UserSql.Connection c = connections.open(s.user(), client(request));
    PageTimings.current().record("connect", t0, null);
    request.setProperty(RequestSql.PROPERTY, c);
    return c;
  }

  /** As {@link #query}, but a failure becomes the answer's {@code error} text (what the SQL endpoint would say). */
  public Answer attempt(ConsoleSession s, ContainerRequestContext request, String sql, Object... parameters) {
    try {
      return new Answer(query(s, request, sql, parameters), null);
    } catch (SQLException | RuntimeException e) {
      return new Answer(null, e.getMessage() == null ? e.toString() : e.getMessage());
    }
  }

  /** As {@link #attempt}, for an aggregate-only query whose answer the role's users share for a minute ({@link AggregateCache}). */
  public Answer aggregate(ConsoleSession s, ContainerRequestContext request, String sql, Object... parameters) {
    long t0 = System.nanoTime();
    boolean[] computed = {false};
    Answer a = aggregates.get(s.user().role(), sql, List.of(parameters), () -> {
      computed[0] = true;
      return attempt(s, request, sql, parameters);
    });
    if (!computed[0]) {
      PageTimings.current().statement(sql, t0, true);
    }
    return a;
  }

  /** Drops every shared aggregate answer (after an action that changes what they count). */
  public void forgetAggregates() {
    aggregates.clear();
  }

  /** A query's rows, or why there are none. */
  public record Answer(SqlResult result, String error, java.time.Instant at) {
    public Answer(SqlResult result, String error) {
      this(result, error, java.time.Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS));
    }

    public boolean ok() {
      return result != null;
    }

    public List<Map<String, Object>> records() {
      return result == null ? List.of() : result.records();
    }
  }

  /** The client's address as the hosting application recorded it. */
  public static String client(ContainerRequestContext request) {
    Object a = request.getProperty(CLIENT_ADDRESS);
    return a == null ? null : a.toString();
  }

  /** The application's base path, ending in {@code /} ({@code /} standalone, {@code /lode/} in a WAR so deployed). */
  public static String base(UriInfo uri) {
    String p = uri.getBaseUri().getPath();
    return p == null || p.isEmpty() ? "/" : p.endsWith("/") ? p : p + "/";
  }

  /** A 200 page. */
  public Response page(String template, ConsoleSession s, UriInfo uri, Map<String, Object> model) {
    return page(200, template, s, uri, model);
  }

  /** A page with {@code status}; {@code s} may be null (the sign-in page). */
  public Response page(int status, String template, ConsoleSession s, UriInfo uri, Map<String, Object> model) {
    Map<String, Object> m = new LinkedHashMap<>(model);
    m.put("base", base(uri));
    m.put("page", template);
    m.put("version", services.version());
    if (s != null) {
      m.put("user", s.user().name());
      m.put("role", s.user().role().name().toLowerCase());
      m.put("csrf", s.csrf());
      m.put("admin", s.is(Credentials.Role.ADMIN));
      m.put("viewer", s.is(Credentials.Role.VIEWER));
    }
    long t0 = System.nanoTime();
    String html = templates.render(template, m);
    PageTimings.current().record("render", t0, template);
    return secured(Response.status(status).type(MediaType.TEXT_HTML_TYPE.withCharset("UTF-8")).entity(html)).build();
  }

  /** Adds the headers every console answer carries. */
  public static Response.ResponseBuilder secured(Response.ResponseBuilder b) {
    CacheControl none = new CacheControl();
    none.setNoStore(true);
    none.setNoCache(true);
    return b.cacheControl(none).header("Content-Security-Policy", CSP).header("X-Content-Type-Options", "nosniff")
        .header("Referrer-Policy", "same-origin").header("X-Frame-Options", "DENY");
  }

  /** A redirect after a POST, to a page of the console. */
  public static Response seeOther(UriInfo uri, String path) {
    return secured(Response.seeOther(URI.create(base(uri) + Console.PATH + "/" + path))).build();
  }
}
