package dev.lode.console;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lode.app.LodeServer;
import dev.lode.config.Credentials;
import dev.lode.config.LoginBackoff;
import dev.lode.sql.SqlClient;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The console's sign-in over plain HTTP, as a browser's requests reach it (no redirects
 * followed): {@code /} sends browsers to the console, pages without a session send them to
 * sign in, the sign-in form's token and every POST's CSRF token are required, the session cookie
 * is HttpOnly and SameSite=Strict, and failed sign-ins count in the same back-off as the SQL
 * endpoint's Basic logins.
 */
class ConsoleSignInTest {
  private static final HttpClient HTTP = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();
  private static final Pattern TOKEN = Pattern.compile("name=\"(?:token|csrf)\" value=\"([^\"]+)\"");
  private static LodeServer server;

  @BeforeAll
  static void start() {
    server = SqlClient.server();
  }

  @Test
  void rootAndPagesSendBrowsersToSignIn() throws Exception {
    HttpResponse<String> root = get("/", null);
    assertEquals(303, root.statusCode());
    assertTrue(root.headers().firstValue("Location").orElseThrow().endsWith("/console/"), root.headers().toString());
    for (String page : List.of("/console/", "/console/health", "/console/people", "/console/sql", "/console/tags")) {
      HttpResponse<String> r = get(page, null);
      assertEquals(303, r.statusCode(), page);
      assertTrue(r.headers().firstValue("Location").orElseThrow().endsWith("/console/login"), page);
    }
    // a POST without a session acts on nothing: it is sent to sign in
    HttpResponse<String> retire = post("/console/tags/lifecycle_stage/retire", "csrf=x", null);
    assertEquals(303, retire.statusCode());
  }

  @Test
  void signInNeedsTheFormTokenAndPostsNeedTheCsrfToken() throws Exception {
    Credentials.User admin = user(Credentials.Role.ADMIN);
    HttpResponse<String> noToken = post("/console/login", form("user", admin.name(), "password", admin.password()), null);
    assertEquals(403, noToken.statusCode(), "a sign-in without the form's token (another site's form) is refused");
    String session = signIn(admin);
    HttpResponse<String> health = get("/console/health", session);
    assertEquals(200, health.statusCode());
    assertTrue(health.headers().firstValue("Content-Security-Policy").orElseThrow().contains("default-src 'none'"));
    HttpResponse<String> forged = post("/console/sql", form("sql", "SELECT 1"), session);
    assertEquals(403, forged.statusCode(), "a POST without the CSRF token is refused");
    HttpResponse<String> wrong = post("/console/sql", form("sql", "SELECT 1", "csrf", "not-the-token"), session);
    assertEquals(403, wrong.statusCode());
    String csrf = token(health.body());
    HttpResponse<String> ran = post("/console/sql", form("sql", "SELECT 41 + 1 AS answer", "csrf", csrf), session);
    assertEquals(200, ran.statusCode(), ran.body());
    assertTrue(ran.body().contains("<td>42</td>"), ran.body());
    HttpResponse<String> out = post("/console/logout", form("csrf", csrf), session);
    assertEquals(303, out.statusCode());
    assertEquals(303, get("/console/health", session).statusCode(), "the signed-out session is gone");
  }

  @Test
  void failedSignInsBackOffTogetherWithTheSqlEndpoint() throws Exception {
    String name = "console-nobody";
    int status = 0;
    for (int i = 0; i <= LoginBackoff.FREE_FAILURES && status != 429; i++) {
      HttpResponse<String> page = get("/console/login", null);
      status = post("/console/login", form("user", name, "password", "wrong" + i, "token", token(page.body())),
          loginCookie(page)).statusCode();
      assertTrue(status == 401 || status == 429, "status " + status);
    }
    assertEquals(429, status, "after " + LoginBackoff.FREE_FAILURES + " failures the console makes the user wait");
    // the SQL endpoint's Basic login of the same user waits too: one back-off for both
    HttpResponse<String> basic = HTTP.send(HttpRequest.newBuilder(URI.create(server.url() + "/status"))
        .header("Authorization", "Basic " + Base64.getEncoder().encodeToString((name + ":wrong").getBytes(
            StandardCharsets.UTF_8))).build(), HttpResponse.BodyHandlers.ofString());
    assertEquals(429, basic.statusCode(), basic.body());
  }

  @Test
  void healthShowsTheWarehousesOwnFigures() throws Exception {
    String session = signIn(user(Credentials.Role.ANALYST));
    long[] before = nativeEventCounts();
    HttpResponse<String> health = get("/console/health", session);
    long[] after = nativeEventCounts();
    assertEquals(200, health.statusCode(), health.body());
    assertEquals("ClickHouse " + nativeOne("SELECT version()"), shown(health.body(), "engine"));
    // the events counted by the page's one summary statement, between the counts asked just before and after it
    long total = Long.parseLong(shown(health.body(), "events-total"));
    assertTrue(before[0] <= total && total <= after[0], total + " events shown, " + before[0] + "–" + after[0] + " counted");
    long lastHour = Long.parseLong(shown(health.body(), "events-last-hour"));
    assertTrue(before[1] <= lastHour && lastHour <= after[1] || after[1] < before[1],
        lastHour + " events this hour shown, " + before[1] + "–" + after[1] + " counted");
  }

  @Test
  void thePlaygroundsStatementsStopAtTheSqlEndpointsTimeout() throws Exception {
    String session = signIn(user(Credentials.Role.ADMIN));
    String csrf = token(get("/console/sql", session).body());
    int timeout = server.context().config().getInt("lode.sql.timeout-seconds", 120);
    // two billion rows generated in the JVM, none read from ClickHouse: only the endpoint's deadline stops it
    long t0 = System.nanoTime();
    HttpResponse<String> r = post("/console/sql", form("sql", "WITH RECURSIVE t(n) AS (VALUES (1) UNION ALL"
        + " SELECT n + 1 FROM t WHERE n < 2000000000) SELECT count(*) FROM t", "csrf", csrf), session);
    double seconds = (System.nanoTime() - t0) / 1e9;
    assertEquals(200, r.statusCode());
    String error = shown(r.body(), "sql-error");
    assertTrue(error.contains("57014") && error.contains("statement timeout: the query ran longer than"
        + " lode.sql.timeout-seconds=" + timeout + " s"), error);
    // unbounded it would count for minutes; the deadline is checked as rows are generated (18.5 s under load 10)
    assertTrue(seconds < timeout + 15, "stopped after " + seconds + " s");
  }

  /** Events in the warehouse, and those received in the current clock hour, counted natively. */
  private static long[] nativeEventCounts() throws Exception {
    try (Connection c = server.context().warehouse().connect(); Statement st = c.createStatement();
         ResultSet rs = st.executeQuery("SELECT count(), countIf(toStartOfHour(received_time)"
             + " = toStartOfHour(now64(3))) FROM events")) {
      rs.next();
      return new long[] {rs.getLong(1), rs.getLong(2)};
    }
  }

  private static String nativeOne(String sql) throws Exception {
    try (Connection c = server.context().warehouse().connect(); Statement st = c.createStatement();
         ResultSet rs = st.executeQuery(sql)) {
      rs.next();
      return rs.getString(1);
    }
  }

  /** The text of the element with {@code id} in {@code html}. */
  private static String shown(String html, String id) {
    Matcher m = Pattern.compile("id=\"" + id + "\">([^<]*)<").matcher(html);
    assertTrue(m.find(), "no #" + id + " in the page");
    return m.group(1).strip();
  }

  @Test
  void theSessionCookieIsHttpOnlyAndSameSiteStrict() throws Exception {
    HttpResponse<String> page = get("/console/login", null);
    Credentials.User viewer = user(Credentials.Role.VIEWER);
    HttpResponse<String> r = post("/console/login", form("user", viewer.name(), "password", viewer.password(), "token",
        token(page.body())), loginCookie(page));
    assertEquals(303, r.statusCode());
    String cookie = r.headers().allValues("Set-Cookie").stream().filter(c -> c.startsWith(PageFrame.COOKIE + "="))
        .findFirst().orElseThrow();
    assertTrue(cookie.contains("HttpOnly") && cookie.contains("SameSite=Strict") && cookie.contains("Path=/console"),
        cookie);
    String session = cookie.substring(0, cookie.indexOf(';'));
    assertEquals(403, get("/console/people", session).statusCode(), "viewers may not open People");
  }

  private static String signIn(Credentials.User u) throws Exception {
    HttpResponse<String> page = get("/console/login", null);
    HttpResponse<String> r = post("/console/login", form("user", u.name(), "password", u.password(), "token",
        token(page.body())), loginCookie(page));
    assertEquals(303, r.statusCode(), r.body());
    String cookie = r.headers().allValues("Set-Cookie").stream().filter(c -> c.startsWith(PageFrame.COOKIE + "="))
        .findFirst().orElseThrow();
    return cookie.substring(0, cookie.indexOf(';'));
  }

  private static String loginCookie(HttpResponse<String> page) {
    String c = page.headers().allValues("Set-Cookie").stream().filter(v -> v.startsWith("lode_console_login="))
        .findFirst().orElseThrow();
    return c.substring(0, c.indexOf(';'));
  }

  private static String token(String html) {
    Matcher m = TOKEN.matcher(html);
    assertTrue(m.find(), "no token in the page");
    return m.group(1);
  }

  private static Credentials.User user(Credentials.Role role) {
    return server.context().credentials().users().values().stream().filter(u -> u.role() == role).findFirst()
        .orElseThrow();
  }

  private static String form(String... kv) {
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < kv.length; i += 2) {
      b.append(b.isEmpty() ? "" : "&").append(URLEncoder.encode(kv[i], StandardCharsets.UTF_8)).append('=')
          .append(URLEncoder.encode(kv[i + 1], StandardCharsets.UTF_8));
    }
    return b.toString();
  }

  private static HttpResponse<String> get(String path, String cookie) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(server.url() + path));
    if (cookie != null) {
      b.header("Cookie", cookie);
    }
    return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  private static HttpResponse<String> post(String path, String body, String cookie) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(server.url() + path))
        .header("Content-Type", "application/x-www-form-urlencoded").POST(HttpRequest.BodyPublishers.ofString(body));
    if (cookie != null) {
      b.header("Cookie", cookie);
    }
    return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }
}
