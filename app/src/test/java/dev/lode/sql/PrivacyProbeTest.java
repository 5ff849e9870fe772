package dev.lode.sql;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lode.config.Credentials.Role;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.calcite.avatica.AvaticaSqlException;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Probes the running server as an outsider would — with an analyst's, a viewer's and no
 * credentials — after planting PII through the real collector endpoint: a person whose email,
 * phone, customer number, name, tokens and ids travel in every map key, free-text column and URL
 * the issue found leaking, next to a crowd of twelve ordinary visitors. Every probe goes through
 * the real HTTP endpoints and the avatica-core JDBC driver; every value and error message that
 * comes back is searched for the planted values, and every viewer row must be counted over 0 or
 * at least {@code lode.privacy.min-group-size} persons. The probe count is asserted, so the
 * suite cannot quietly shrink.
 */
class PrivacyProbeTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String PLAN = "probe16";
  private static final String EMAIL = "carol.probe@example.com";
  private static final String USER = "probe-carol-login";
  private static final String ANON = "anon-probe-carol";
  private static final String PREVIOUS = "carol-previous-idq";
  private static final String CUSTOMER_NO = "7712370";
  private static final String TOKEN = "tokZQXsecret";
  /** Every planted value: none may reach an analyst, a viewer or an anonymous client. */
  private static final List<String> PLANTED = List.of(EMAIL, "carol.probe", USER, ANON, PREVIOUS, CUSTOMER_NO, TOKEN,
      "Zelphine", "Probe-Surname", "+4477009005", "7700 900555", "QQ123456C", "4111111111111111", "dev-ZX-9931",
      "owner-carol", "utm-carol", "198.51.100.77", "ZelphBrowser", "sess-carol", "acct-carol", "contact-carol");
  private static final String RANGE = "'2025-02-10 00:00:00', '2025-02-11 00:00:00'";
  private static final int MIN_GROUP = 5;
  private static final List<String> STEPS = List.of("page_view", "add_to_cart", "purchase");
  private static int probes;
  private static final Map<String, Integer> BY_ROLE = new LinkedHashMap<>();
  private static int planted;

  @BeforeAll
  static void plant() throws Exception {
    ArrayNode batch = JSON.createArrayNode();
    String t0 = "2025-02-10T10:";
    // Carol: PII in every place the issue names
    ObjectNode carolCtx = JSON.createObjectNode();
    carolCtx.put("ip", "198.51.100.77").put("userAgent", "Mozilla/5.0 (ZelphBrowser)").put("sessionId", "sess-" + EMAIL);
    carolCtx.putObject("location").put("country", "LI");
    carolCtx.putObject("campaign").put("source", "newsletter").put("content", "utm-carol-" + EMAIL);
    ObjectNode identify = batch.addObject().put("type", "identify").put("userId", USER).put("anonymousId", ANON)
        .put("timestamp", t0 + "00:00Z");
    identify.set("context", carolCtx.deepCopy());
    identify.putObject("traits").put("email", EMAIL).put("phone", "+44 7700 900555").put("customer_no", CUSTOMER_NO)
        .put("first", "Zelphine").put("last", "Probe-Surname").put("plan", PLAN);
    ObjectNode page = batch.addObject().put("type", "page").put("userId", USER).put("anonymousId", ANON)
        .put("name", "reset").put("timestamp", t0 + "01:00Z");
    page.set("context", carolCtx.deepCopy());
    page.putObject("properties").put("path", "/reset?email=" + EMAIL + "&token=" + TOKEN)
        .put("url", "https://shop.example/reset?email=" + EMAIL + "&token=" + TOKEN)
        .put("referrer", "https://mail.example/open?to=" + EMAIL)
        .put("title", "Welcome back, Zelphine Probe-Surname").put("plan", PLAN);
    ObjectNode track = batch.addObject().put("type", "track").put("event", "page_view").put("userId", USER)
        .put("timestamp", t0 + "02:00Z");
    track.set("context", carolCtx.deepCopy());
    track.putObject("properties").put("plan", PLAN).put("customer_no", CUSTOMER_NO).put("contact", "contact-carol")
        .put("user", USER).put("login", EMAIL).put("account", "acct-carol").put("tel", "+4477009005")
        .put("cell", "+44 7700 900555").put("national_id", "QQ123456C").put("credit", "4111111111111111")
        .put("first", "Zelphine").put("last", "Probe-Surname").put("device_id", "dev-ZX-9931").put("owner", "owner-carol")
        .put("utm_content", "utm-carol").put("path", "/account?token=" + TOKEN)
        .put("referrer", "https://mail.example/?to=" + EMAIL).put("page", "/p?email=" + EMAIL);
    ObjectNode alias = batch.addObject().put("type", "alias").put("userId", USER).put("previousId", PREVIOUS)
        .put("timestamp", t0 + "03:00Z");
    alias.putObject("properties").put("plan", PLAN);
    // a message without messageId: its id must be a keyed hash
    // the crowd: twelve visitors in one country, eight add to cart, six buy
    for (int i = 1; i <= 12; i++) {
      String u = String.format(Locale.ROOT, "crowd-%02d", i);
      for (String e : i <= 6 ? List.of("page_view", "add_to_cart", "purchase") : i <= 8
          ? List.of("page_view", "add_to_cart") : List.of("page_view")) {
        ObjectNode m = batch.addObject().put("type", "track").put("event", e).put("userId", u)
            .put("messageId", "probe16-" + u + "-" + e)
            .put("timestamp", t0 + String.format(Locale.ROOT, "%02d", 10 + i) + ":0" + (1 + STEPS.indexOf(e)) + "Z");
        m.putObject("context").putObject("location").put("country", "IS");
        m.putObject("properties").put("plan", PLAN).put("path", "/shop?ref=" + u);
      }
    }
    ObjectNode body = JSON.createObjectNode();
    body.set("batch", batch);
    HttpResponse<String> r = post("/v1/batch", writeKeyAuth(), body.toString());
    assertEquals(200, r.statusCode(), r.body());
    int expected = batch.size();
    planted = expected - 1; // the alias carries no properties: it is probed by its type
    long deadline = System.nanoTime() + 30_000_000_000L;
    long landed = 0;
    while (System.nanoTime() < deadline) {
      List<List<Object>> n = SqlClient.rows("SELECT count(*) FROM events WHERE properties['plan'] = '" + PLAN + "'"
          + " OR user_id = '" + USER + "'");
      landed = ((Number) n.get(0).get(0)).longValue();
      if (landed >= expected) {
        break;
      }
      Thread.sleep(200);
    }
    assertEquals(expected, landed, "the planted events did not all land");
    // the admin sees them raw: the probes below are meaningful only if the PII is really there
    List<List<Object>> raw = SqlClient.rows("SELECT page, title, session_id, properties['customer_no'] FROM events"
        + " WHERE user_id = '" + USER + "' AND event_type IN ('page', 'track') ORDER BY event_type");
    assertTrue(raw.toString().contains(TOKEN) && raw.toString().contains("Zelphine") && raw.toString().contains(EMAIL)
        && raw.toString().contains(CUSTOMER_NO), raw.toString());
  }

  private static String writeKeyAuth() {
    String key = SqlClient.server().context().credentials().writeKeys().keySet().iterator().next();
    return "Basic " + Base64.getEncoder().encodeToString((key + ":").getBytes(StandardCharsets.UTF_8));
  }

  private static HttpResponse<String> post(String path, String auth, String body) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(SqlClient.server().url() + path))
        .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body));
    if (auth != null) {
      b.header("Authorization", auth);
    }
    try (HttpClient http = HttpClient.newHttpClient()) {
      return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }
  }

  private static HttpResponse<String> send(String method, String path, String auth) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(SqlClient.server().url() + path))
        .method(method, HttpRequest.BodyPublishers.noBody());
    if (auth != null) {
      b.header("Authorization", auth);
    }
    try (HttpClient http = HttpClient.newHttpClient()) {
      return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }
  }

  /** Fails when {@code text} holds a planted value (case-insensitive). */
  private static void clean(String what, String text) {
    String lower = text.toLowerCase(Locale.ROOT);
    for (String p : PLANTED) {
      assertFalse(lower.contains(p.toLowerCase(Locale.ROOT)), what + " revealed '" + p + "': " + text);
    }
  }

  /** Runs {@code sql}; its rows (or its error, which must carry no stack frames) must hold no planted value. */
  private static List<List<Object>> probe(Statement st, String who, String sql) {
    probes++;
    try {
      List<List<Object>> rows = SqlClient.rows(st, sql);
      clean(who + " " + sql, rows.toString());
      return rows;
    } catch (SQLException e) {
      clean(who + " error of " + sql, String.valueOf(e.getMessage()));
      noStackFrames(who + " " + sql, e);
      return null;
    }
  }

  private static void noStackFrames(String what, SQLException e) {
    if (e instanceof AvaticaSqlException a) {
      // the server sends its reason where a trace would be, never a frame
      for (String trace : a.getStackTraces()) {
        assertFalse(trace.matches("(?s).*(\\n|^)\\s+at [a-zA-Z_$][\\w$.]*\\(.*"), what + ": the server sent stack frames: "
            + trace);
        clean(what + " trace", trace);
      }
    }
    assertFalse(String.valueOf(e.getMessage()).matches("(?s).*\\n\\s+at [a-z]+\\..*"), what + ": " + e.getMessage());
  }

  /** A viewer's probe: besides holding no planted value, no row may be counted over 1 to min-group-size - 1 persons. */
  private static List<List<Object>> viewerProbe(Statement st, String sql, String personsColumn) throws SQLException {
    probes++;
    List<List<Object>> out = new ArrayList<>();
    try (ResultSet rs = st.executeQuery(sql)) {
      int n = rs.getMetaData().getColumnCount();
      while (rs.next()) {
        List<Object> row = new ArrayList<>();
        for (int i = 1; i <= n; i++) {
          row.add(rs.getObject(i));
        }
        long persons = rs.getLong(personsColumn);
        assertTrue(persons == 0 || persons >= MIN_GROUP, "a viewer got a row of " + persons + " persons: " + sql
            + " -> " + row);
        out.add(row);
      }
    }
    clean("viewer " + sql, out.toString());
    return out;
  }

  /** A viewer's probe that must be refused with a clear SQL error naming {@code argument}. */
  private static void refused(Statement st, String sql, String argument, String field) {
    probes++;
    SQLException e = org.junit.jupiter.api.Assertions.assertThrows(SQLException.class, () -> SqlClient.rows(st, sql),
        "a viewer was answered: " + sql);
    assertTrue(e.getMessage().contains(argument) && e.getMessage().contains(field), e.getMessage());
    assertEquals("22023", e.getSQLState(), e.getMessage());
    // the driver quotes the statement the client sent (its own values): the rest must name nobody
    clean("viewer error of " + sql, e.getMessage().replace(sql, ""));
    noStackFrames(sql, e);
  }

  @Test
  void outsidersFindNoPiiAndViewersNoPersons() throws Exception {
    probes = 0;
    // the whole analyst surface over protobuf; over JSON (the same Meta and frames, another wire
    // encoding and error path) every shape but the relation-by-relation and function reads
    analystProbes("protobuf", true);
    analystProbes("json", false);
    BY_ROLE.put("analyst", probes);
    viewerProbes();
    BY_ROLE.put("viewer", probes - BY_ROLE.get("analyst"));
    anonymousProbes();
    BY_ROLE.put("anonymous", probes - BY_ROLE.get("analyst") - BY_ROLE.get("viewer"));
    System.out.println("privacy probes: " + probes + " " + BY_ROLE);
    assertTrue(BY_ROLE.values().stream().allMatch(n -> n >= 10), BY_ROLE.toString());
    assertTrue(probes >= 60, "only " + probes + " probes ran");
  }

  private static void analystProbes(String serialization, boolean wholeSchema) throws SQLException {
    String mine = " FROM events WHERE properties['plan'] = '" + PLAN + "'";
    try (Connection c = SqlClient.connect(Role.ANALYST, "/avatica", serialization, Map.of());
         Statement st = c.createStatement()) {
      String who = "analyst/" + serialization;
      // every column; the free-text columns and the map by name (one statement: the masking is the
      // views', the same whichever columns a statement selects)
      assertEquals(planted, probe(st, who, "SELECT *" + mine).size());
      assertEquals(planted, probe(st, who, "SELECT " + String.join(", ", List.of("page", "title", "session_id", "url",
          "referrer", "user_id", "anonymous_id", "distinct_id", "ip", "user_agent", "event_id", "properties")) + mine)
          .size());
      // every property key the issue found raw, and URL-valued ones
      List<String> keys = List.of("customer_no", "contact", "user", "login", "account", "tel", "cell", "national_id",
          "credit", "first", "last", "device_id", "owner", "utm_content", "email", "phone", "previous_id", "path",
          "url", "referrer", "page", "title");
      assertEquals(planted, probe(st, who, "SELECT " + String.join(", ", keys.stream().map(k -> "properties['" + k
          + "'] AS \"" + k + "\"").toList()) + mine).size());
      probe(st, who, "SELECT * FROM events WHERE event_type = 'alias'");
      // query strings are gone wherever a URL can appear
      for (List<Object> r : probe(st, who, "SELECT page, url, referrer, properties['path'], properties['url'],"
          + " properties['referrer'], properties['page']" + mine)) {
        for (Object v : r) {
          assertFalse(String.valueOf(v).contains("?"), "a query string reached an analyst: " + r);
        }
      }
      // probing by value finds nothing
      for (String where : List.of("properties['customer_no'] = '" + CUSTOMER_NO + "'", "page LIKE '%token%'",
          "title LIKE '%Zelphine%'", "session_id = 'sess-" + EMAIL + "'", "properties['previous_id'] = '" + PREVIOUS + "'",
          "UPPER(title) LIKE '%ZELPHINE%'", "POSITION('Zelphine' IN title) > 0", "user_id = '" + USER + "'")) {
        assertEquals(List.of(List.of(0L)), probe(st, who, "SELECT COUNT(*) FROM events WHERE " + where));
      }
      // expressions, grouping, aggregates and errors over the masked values
      probe(st, who, "SELECT SUBSTRING(title FROM 1 FOR 20), UPPER(session_id), title || '|' || page" + mine);
      probe(st, who, "SELECT title, COUNT(*) FROM events WHERE properties['plan'] = '" + PLAN + "' GROUP BY title");
      probe(st, who, "SELECT LISTAGG(title, ',') FROM events WHERE properties['plan'] = '" + PLAN + "'");
      probe(st, who, "SELECT CAST(title AS INTEGER)" + mine);
      probe(st, who, "SELECT CAST(properties['customer_no'] AS INTEGER) + 1" + mine);
      // the message sent without messageId got a keyed id, not the unsalted content hash
      List<List<Object>> ids = probe(st, who, "SELECT event_id FROM events WHERE event_type = 'identify'"
          + " AND properties['plan'] = '" + PLAN + "'");
      assertEquals(1, ids.size());
      assertTrue(String.valueOf(ids.get(0).get(0)).startsWith("h-"), ids.toString());
      if (!wholeSchema) {
        return;
      }
      probe(st, who, "SELECT * FROM events_resolved WHERE properties['plan'] = '" + PLAN + "'");
      probe(st, who, "SELECT * FROM events_dedup WHERE properties['plan'] = '" + PLAN + "'");
      probe(st, who, "SELECT * FROM persons");
      probe(st, who, "SELECT * FROM identities");
      probe(st, who, "SELECT * FROM TABLE(sessions(1800, " + RANGE + "))");
      probe(st, who, "SELECT * FROM TABLE(funnel_people('page_view,add_to_cart', 3600, 1, 'reached', 'ordered', "
          + RANGE + "))");
      probe(st, who, "SELECT * FROM TABLE(event_trends('page_view', 'day', " + RANGE + ", 'title'))");
      probe(st, who, "SELECT * FROM TABLE(event_trends('page_view', 'day', " + RANGE + ", 'properties.customer_no'))");
      // every relation of the analyst's schema, read whole
      DatabaseMetaData md = c.getMetaData();
      List<String> relations = new ArrayList<>();
      try (ResultSet rs = md.getTables(null, "lode", "%", null)) {
        while (rs.next()) {
          relations.add(rs.getString("TABLE_NAME"));
        }
      }
      assertTrue(relations.size() > 20, relations.toString());
      for (String r : relations) {
        probe(st, who, "SELECT * FROM \"" + r + "\" LIMIT 4000");
      }
    }
  }

  private static void viewerProbes() throws SQLException {
    try (Connection c = SqlClient.connect(Role.VIEWER); Statement st = c.createStatement()) {
      String plan = "[properties.plan=" + PLAN + "]";
      // aggregates over descriptive fields: every row counted over 0 or >= 5 persons, and the lone
      // visitor from LI never appears as a group of one
      List<List<Object>> byCountry = viewerProbe(st, "SELECT * FROM TABLE(event_trends('page_view" + plan + "', 'day', "
          + RANGE + ", 'country'))", "persons");
      assertEquals(Map.of("IS", 12L), countsBy(byCountry, 1, 3), byCountry.toString());
      List<List<Object>> funnel = viewerProbe(st, "SELECT * FROM TABLE(funnel('page_view" + plan + ",add_to_cart"
          + plan + ",purchase" + plan + "', 86400, 'ordered', " + RANGE + "))", "persons");
      // 13 reach page_view (the crowd and Carol), 8 add to cart, 6 buy: compared with the admin's own count
      assertEquals(List.of(13L, 8L, 6L), funnel.stream().map(r -> ((Number) r.get(3)).longValue()).toList());
      assertEquals(List.of(List.of(13L)), SqlClient.rows("SELECT COUNT(DISTINCT user_id) FROM events WHERE"
          + " event_name = 'page_view' AND properties['plan'] = '" + PLAN + "'"));
      viewerProbe(st, "SELECT * FROM TABLE(funnel('page_view" + plan + ",purchase" + plan + "', 86400, 'ordered', "
          + RANGE + ", 'country'))", "persons");
      assertTrue(viewerProbe(st, "SELECT * FROM TABLE(funnel('page_view[country=LI & properties.plan=" + PLAN
          + "]', 60, 'ordered', " + RANGE + "))", "persons").isEmpty(), "a group of one reached a viewer");
      viewerProbe(st, "SELECT * FROM TABLE(event_trends('*" + plan + "', 'hour', " + RANGE + "))", "persons");
      viewerProbe(st, "SELECT * FROM TABLE(event_trends('page_view" + plan + "', 'day', " + RANGE + ", 'page'))",
          "persons");
      viewerProbe(st, "SELECT * FROM TABLE(event_trends('*" + plan + "', 'day', " + RANGE + ", 'event_name'))",
          "persons");
      viewerProbe(st, "SELECT * FROM TABLE(retention('page_view" + plan + "', 'purchase" + plan + "', 'day', 1,"
          + " 'first_time', " + RANGE + "))", "cohort_persons");
      viewerProbe(st, "SELECT * FROM TABLE(retention('page_view" + plan + "', 'purchase" + plan + "', 'day', 1,"
          + " 'first_time', " + RANGE + "))", "returned_persons");
      viewerProbe(st, "SELECT * FROM TABLE(paths('page_view', 'after', 3, " + RANGE + "))", "persons");
      // id-valued breakdowns and conditions are refused, naming the argument
      refused(st, "SELECT * FROM TABLE(funnel('*[properties.customer_no=" + CUSTOMER_NO + "]', 60))", "funnel(steps)",
          "properties.customer_no");
      for (String field : List.of("user_id", "distinct_id", "anonymous_id", "session_id", "title",
          "properties.customer_no", "properties.email", "properties.device_id", "properties.previous_id")) {
        refused(st, "SELECT * FROM TABLE(event_trends('page_view', 'day', " + RANGE + ", '" + field + "'))",
            "event_trends(breakdown)", field);
      }
      refused(st, "SELECT * FROM TABLE(funnel('page_view,purchase', 60, 'ordered', " + RANGE + ", 'user_id'))",
          "funnel(breakdown)", "user_id");
      refused(st, "SELECT * FROM TABLE(event_trends('page_view[user_id=" + USER + "]', 'day'))", "event_trends(event)",
          "user_id");
      refused(st, "SELECT * FROM TABLE(retention('page_view[session_id=x]', 'purchase', 'day', 1))",
          "retention(start_event)", "session_id");
      // no per-person relation, and no person-level function
      for (String sql : List.of("SELECT * FROM events", "SELECT * FROM persons",
          "SELECT * FROM TABLE(funnel_people('page_view', 60, 1))", "SELECT * FROM sessions")) {
        probe(st, "viewer", sql);
      }
      DatabaseMetaData md = c.getMetaData();
      try (ResultSet rs = md.getTables(null, "lode", "%", null)) {
        List<String> relations = new ArrayList<>();
        while (rs.next()) {
          relations.add(rs.getString("TABLE_NAME"));
        }
        for (String r : relations) {
          probe(st, "viewer", "SELECT * FROM \"" + r + "\"");
        }
      }
    }
  }

  private static Map<Object, Long> countsBy(List<List<Object>> rows, int key, int value) {
    Map<Object, Long> out = new LinkedHashMap<>();
    for (List<Object> r : rows) {
      out.merge(r.get(key), ((Number) r.get(value)).longValue(), Long::sum);
    }
    return out;
  }

  private static void anonymousProbes() throws Exception {
    String analystAuth = "Basic " + Base64.getEncoder().encodeToString((SqlClient.user(Role.ANALYST).name() + ":"
        + SqlClient.user(Role.ANALYST).password()).getBytes(StandardCharsets.UTF_8));
    // TRACE is refused everywhere and never echoes the Authorization header
    for (String path : List.of("/v1/batch", "/v1/track", "/sa", "/avatica", "/status", "/admin/forget", "/")) {
      for (String auth : List.of(analystAuth, writeKeyAuth())) {
        probes++;
        HttpResponse<String> r = send("TRACE", path, auth);
        assertEquals(405, r.statusCode(), "TRACE " + path + ": " + r.body());
        assertFalse(r.body().contains(auth.substring(6)), "TRACE " + path + " echoed the credentials");
      }
    }
    // no credentials: nothing but refusals and the version
    probes++;
    HttpResponse<String> avatica = post("/avatica", null, "{\"request\":\"openConnection\",\"connectionId\":\"x\"}");
    clean("anonymous /avatica", avatica.body());
    probes++;
    HttpResponse<String> status = send("GET", "/status", null);
    clean("anonymous /status", status.body());
    probes++;
    HttpResponse<String> forget = post("/admin/forget", null, "{\"id\":\"" + EMAIL + "\"}");
    assertTrue(forget.statusCode() == 401 || forget.statusCode() == 403, forget.statusCode() + " " + forget.body());
    probes++;
    HttpResponse<String> batch = post("/v1/batch", null, "{\"batch\":[]}");
    assertEquals(401, batch.statusCode(), batch.body());
    // an analyst's Avatica error over JSON carries no stack frames
    probes++;
    HttpResponse<String> err = post("/avatica", analystAuth, "{\"request\":\"prepareAndExecute\",\"connectionId\":"
        + "\"no-such-connection\",\"statementId\":1,\"sql\":\"SELECT 1\",\"maxRowsInFirstFrame\":-1,\"maxRowCount\":-1}");
    for (var trace : JSON.readTree(err.body()).path("exceptions")) {
      assertFalse(trace.asText().contains("\tat ") || trace.asText().contains("\n\tat"),
          "stack frames reached the client: " + err.body());
    }
    assertFalse(err.body().contains("\tat "), err.body());
  }
}
