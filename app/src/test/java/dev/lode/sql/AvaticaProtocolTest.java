package dev.lode.sql;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lode.config.Credentials;
import dev.lode.testing.ResultText;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.apache.calcite.avatica.AvaticaClientRuntimeException;
import org.apache.calcite.avatica.AvaticaConnection;
import org.apache.calcite.runtime.Hook;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The Avatica protocol as BI tools speak it on their defaults, through the real avatica-core
 * driver and the real HTTP server: the endpoint at {@code /}, credentials as connection
 * properties, harmless client properties, {@code setMaxRows} as a pushed-down LIMIT, a
 * trailing semicolon, the missing-connection error clients reconnect on, errors thrown past
 * Avatica's handlers, and the product name and version. Every count is also asked of ClickHouse.
 */
class AvaticaProtocolTest {
  private static final int EVENTS = 6000;

  @BeforeAll
  static void data() throws SQLException {
    List<Ev> events = new ArrayList<>();
    for (int i = 0; i < EVENTS; i++) {
      events.add(Ev.of("proto-" + i, "proto-p" + (i % 30), 1_910_000_000_000L + i * 1000L, "proto_event"));
    }
    // a funnel pf_a -> pf_b -> pf_c: 12 persons start it, every 2nd goes on, every 4th finishes
    for (int k = 0; k < 12; k++) {
      long t = 1_910_100_000_000L + k * 3_600_000L;
      events.add(Ev.of("pf-a-" + k, "pf-p" + k, t, "pf_a"));
      if (k % 2 == 0) {
        events.add(Ev.of("pf-b-" + k, "pf-p" + k, t + 10_000L, "pf_b"));
      }
      if (k % 4 == 0) {
        events.add(Ev.of("pf-c-" + k, "pf-p" + k, t + 20_000L, "pf_c"));
      }
    }
    try (Connection w = SqlClient.warehouse()) {
      Ev.insert(w, events);
    }
  }

  private static long nativeLong(String sql) throws SQLException {
    try (Connection w = SqlClient.warehouse(); Statement st = w.createStatement(); ResultSet rs = st.executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    }
  }

  private static long count(Connection c, String sql) throws SQLException {
    try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    }
  }

  private static final String PROTO_COUNT_SQL = "SELECT COUNT(*) FROM events WHERE event_name = 'proto_event'";
  private static final String PROTO_COUNT_NATIVE = "SELECT count() FROM events WHERE event_name = 'proto_event'";

  /** The SQLSTATE the client reports, from a SQLException or the unchecked exception a failed open raises. */
  private static String sqlState(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof SQLException se && se.getSQLState() != null) {
        return se.getSQLState();
      }
      if (t instanceof AvaticaClientRuntimeException ae) {
        return ae.getSqlState();
      }
    }
    return null;
  }

  /** Avatica's error code, from a SQLException or the client's unchecked exception. */
  private static boolean hasErrorCode(Throwable e, int code) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof SQLException se && se.getErrorCode() == code
          || t instanceof AvaticaClientRuntimeException ae && ae.getErrorCode() == code) {
        return true;
      }
    }
    return false;
  }

  private static String chain(Throwable e) {
    StringBuilder b = new StringBuilder();
    for (Throwable t = e; t != null; t = t.getCause()) {
      b.append(t.getClass().getSimpleName()).append(": ").append(t.getMessage()).append('\n');
    }
    return b.toString();
  }

  private static Properties properties(Credentials.Role role) {
    Credentials.User u = SqlClient.user(role);
    Properties p = new Properties();
    p.setProperty("user", u.name());
    p.setProperty("password", u.password());
    return p;
  }

  @Test
  void endpointAtTheRootPath() throws SQLException {
    long expected = nativeLong(PROTO_COUNT_NATIVE);
    assertEquals(EVENTS, expected);
    for (String serialization : List.of("protobuf", "json")) {
      try (Connection c = SqlClient.connect(Credentials.Role.ADMIN, "/", serialization, Map.of())) {
        assertEquals(expected, count(c, PROTO_COUNT_SQL), serialization);
      }
    }
  }

  @Test
  void credentialsAsConnectionPropertiesAuthenticate() throws SQLException {
    long expected = nativeLong(PROTO_COUNT_NATIVE);
    // Metabase's Druid driver: user/password properties, no authentication=BASIC
    try (Connection c = DriverManager.getConnection(SqlClient.url("/druid/v2/sql/avatica/", "protobuf"),
        properties(Credentials.Role.ANALYST))) {
      assertEquals(expected, count(c, PROTO_COUNT_SQL));
      SQLException write = assertThrows(SQLException.class,
          () -> c.createStatement().executeUpdate("DELETE FROM events"));
      assertEquals("42501", write.getSQLState(), "the analyst's role applies: " + chain(write));
    }
    Properties wrong = properties(Credentials.Role.ANALYST);
    wrong.setProperty("password", "not-the-password");
    // avatica-core opens the connection inside getConnection and raises a refused open unchecked
    Exception bad = assertThrows(Exception.class,
        () -> DriverManager.getConnection(SqlClient.url("/druid/v2/sql/avatica/", "protobuf"), wrong)
            .createStatement().executeQuery("SELECT 1"));
    assertEquals("28000", sqlState(bad), chain(bad));
    assertTrue(chain(bad).contains("authentication failed for user '" + wrong.getProperty("user") + "'"), chain(bad));
    Properties userOnly = new Properties();
    userOnly.setProperty("user", wrong.getProperty("user"));
    Exception noPassword = assertThrows(Exception.class,
        () -> DriverManager.getConnection(SqlClient.url("/avatica", "json"), userOnly).createStatement()
            .executeQuery("SELECT 1"));
    assertEquals("28000", sqlState(noPassword), chain(noPassword));
  }

  @Test
  void harmlessClientPropertiesAreAccepted() throws SQLException {
    long expected = nativeLong(PROTO_COUNT_NATIVE);
    Map<String, String> avaticaGo = Map.of("AutoCommit", "true", "Consistency", "8", "ReadOnly", "true",
        "TransactionIsolation", "2", "sqlTimeZone", "Etc/UTC");
    // analysts: viewers do not see raw events
    try (Connection c = SqlClient.connect(Credentials.Role.ANALYST, "/avatica", "protobuf", avaticaGo)) {
      assertEquals(expected, count(c, PROTO_COUNT_SQL));
    }
    Exception invalid = assertThrows(Exception.class, () -> SqlClient.connect(Credentials.Role.VIEWER,
        "/avatica", "protobuf", Map.of("sqlTimeZone", "Mars/Olympus")).createStatement().executeQuery("SELECT 1"));
    assertEquals("22023", sqlState(invalid), chain(invalid));
    assertTrue(chain(invalid).contains("'sqlTimeZone': 'Mars/Olympus' is not a time zone id"), chain(invalid));
    // another zone is a session zone (MetabaseReportTimeZoneTest checks what it means)
    try (Connection c = SqlClient.connect(Credentials.Role.ANALYST, "/avatica", "protobuf",
        Map.of("sqlTimeZone", "Europe/Paris"))) {
      assertEquals(expected, count(c, PROTO_COUNT_SQL));
    }
  }

  @Test
  void maxRowsIsAPushedDownLimit() throws SQLException {
    try (Connection c = SqlClient.connect(Credentials.Role.ADMIN); Statement st = c.createStatement()) {
      // DBeaver's table preview: the table is larger than lode.sql.max-rows, the preview is not
      assertTrue(nativeLong("SELECT count() FROM events") > SqlClient.MAX_ROWS);
      st.setMaxRows(200);
      List<Object> ids = new ArrayList<>();
      try (ResultSet rs = st.executeQuery("SELECT * FROM events;")) {
        while (rs.next()) {
          ids.add(rs.getString("event_id"));
        }
      }
      assertEquals(200, ids.size());
      assertEquals(200, ids.stream().distinct().count());
      // the same first rows in a fixed order, compared with ClickHouse's own answer
      st.setMaxRows(7);
      List<String> first = new ArrayList<>();
      try (ResultSet rs = st.executeQuery("SELECT event_id, 'limit-probe-7' AS probe FROM events"
          + " WHERE event_name = 'proto_event' ORDER BY event_id")) {
        while (rs.next()) {
          first.add(rs.getString(1));
        }
      }
      List<String> expected = new ArrayList<>();
      try (Connection w = SqlClient.warehouse(); Statement n = w.createStatement();
           ResultSet rs = n.executeQuery("SELECT event_id FROM events WHERE event_name = 'proto_event' ORDER BY event_id"
               + " LIMIT 7")) {
        while (rs.next()) {
          expected.add(rs.getString(1));
        }
      }
      assertEquals(expected, first);
      // a smaller LIMIT of the query's own stays
      assertEquals(3, SqlClient.rows(st, "SELECT event_id FROM events ORDER BY event_id LIMIT 3").size());
    }
  }

  private static final List<String> GENERATED = new CopyOnWriteArrayList<>();

  /** The SQL Calcite hands to ClickHouse while {@code action} runs (the hook is process-wide: the server plans on its own threads). */
  @SuppressWarnings("deprecation")
  private static List<String> pushedDown(SqlAction action) throws SQLException {
    GENERATED.clear();
    try (Hook.Closeable hook = Hook.QUERY_PLAN.add((Consumer<Object>) sql -> GENERATED.add(String.valueOf(sql)))) {
      action.run();
    }
    return List.copyOf(GENERATED);
  }

  /** A JDBC call. */
  private interface SqlAction {
    void run() throws SQLException;
  }

  @Test
  void maxRowsLimitReachesClickHouse() throws SQLException {
    try (Connection c = SqlClient.connect(Credentials.Role.ADMIN); Statement st = c.createStatement()) {
      st.setMaxRows(7);
      List<String> sent = pushedDown(() -> SqlClient.rows(st, "SELECT event_id, 'limit-probe-7' AS probe FROM events"
          + " WHERE event_name = 'proto_event' ORDER BY event_id"));
      assertTrue(sent.stream().anyMatch(q -> q.contains("limit-probe-7") && q.matches("(?s).*\\bLIMIT 7\\b.*")),
          String.join("\n---\n", sent));
      st.setMaxRows(0);
      List<String> unlimited = pushedDown(() -> SqlClient.rows(st, "SELECT event_id, 'limit-probe-0' AS probe"
          + " FROM events WHERE event_name = 'proto_event' AND distinct_id = 'proto-p1' ORDER BY event_id"));
      assertTrue(unlimited.stream().anyMatch(q -> q.contains("limit-probe-0") && !q.contains("LIMIT")),
          String.join("\n---\n", unlimited));
    }
  }

  /** Rows of a native ClickHouse query, each value as text (types differ between the two drivers). */
  private static List<List<String>> nativeRows(String sql) throws SQLException {
    try (Connection w = SqlClient.warehouse(); Statement n = w.createStatement()) {
      return text(n, sql);
    }
  }

  private static List<List<String>> text(Statement st, String sql) throws SQLException {
    return ResultText.rows(st, sql);
  }

  private static List<List<String>> sorted(List<List<String>> rows) {
    List<List<String>> s = new ArrayList<>(rows);
    s.sort(java.util.Comparator.comparing(Object::toString));
    return s;
  }

  @Test
  void maxRowsCutsEveryQueryShapeToItsFirstRows() throws SQLException {
    // GROUP BY without ORDER BY: any 5 of the 30 groups, each with its true count
    String grouped = "SELECT distinct_id, COUNT(*) AS n FROM events WHERE event_name = 'proto_event' GROUP BY distinct_id";
    List<List<String>> allGroups = nativeRows("SELECT distinct_id, count() FROM events WHERE event_name = 'proto_event'"
        + " GROUP BY distinct_id");
    assertEquals(30, allGroups.size());
    // ORDER BY: exactly the first 5
    String ordered = "SELECT distinct_id, COUNT(*) AS n FROM events WHERE event_name = 'proto_event'"
        + " GROUP BY distinct_id ORDER BY n DESC, distinct_id";
    List<List<String>> firstGroups = nativeRows("SELECT distinct_id, count() AS n FROM events"
        + " WHERE event_name = 'proto_event' GROUP BY distinct_id ORDER BY n DESC, distinct_id");
    // UNION: rows of both branches
    String union = "SELECT event_id FROM events WHERE event_id IN ('proto-1', 'proto-2', 'proto-3')"
        + " UNION SELECT event_id FROM events WHERE event_id IN ('proto-3', 'proto-4')";
    List<List<String>> unionRows = nativeRows("SELECT DISTINCT event_id FROM events"
        + " WHERE event_id IN ('proto-1', 'proto-2', 'proto-3', 'proto-4')");
    // a table function: the funnel's steps, natively with windowFunnel over the same events
    String funnel = "SELECT step, persons FROM TABLE(funnel('pf_a,pf_b,pf_c', 60, 'ordered', '2030-07-01',"
        + " '2030-08-01')) ORDER BY step";
    List<List<String>> funnelRows = nativeRows("SELECT toString(s.step), toString(countIf(l.level >= s.step))"
        + " FROM (SELECT windowFunnel(60)(toDateTime(event_time), event_name = 'pf_a', event_name = 'pf_b', event_name = 'pf_c')"
        + " AS level FROM events WHERE event_name IN ('pf_a', 'pf_b', 'pf_c') GROUP BY distinct_id) AS l"
        + " CROSS JOIN (SELECT arrayJoin([1, 2, 3]) AS step) AS s GROUP BY s.step ORDER BY s.step");
    assertEquals(List.of(List.of("1", "12"), List.of("2", "6"), List.of("3", "3")), funnelRows);
    // INTERSECT and EXCEPT remove duplicates too (each side has 200 rows per person)
    String intersect = "SELECT distinct_id FROM events WHERE event_name = 'proto_event' INTERSECT"
        + " SELECT distinct_id FROM events WHERE distinct_id IN ('proto-p1', 'proto-p2', 'nobody')";
    List<List<String>> intersectRows = nativeRows("SELECT DISTINCT distinct_id FROM events"
        + " WHERE event_name = 'proto_event' AND distinct_id IN ('proto-p1', 'proto-p2', 'nobody')");
    assertEquals(2, intersectRows.size());
    String except = "SELECT distinct_id FROM events WHERE event_name = 'proto_event' EXCEPT"
        + " SELECT distinct_id FROM events WHERE distinct_id <> 'proto-p3'";
    List<List<String>> exceptRows = nativeRows("SELECT DISTINCT distinct_id FROM events"
        + " WHERE event_name = 'proto_event' AND distinct_id NOT IN (SELECT distinct_id FROM events"
        + " WHERE distinct_id <> 'proto-p3')");
    assertEquals(List.of(List.of("proto-p3")), exceptRows);
    try (Connection c = SqlClient.connect(Credentials.Role.ADMIN); Statement st = c.createStatement()) {
      assertEquals(sorted(intersectRows), sorted(text(st, intersect)));
      assertEquals(exceptRows, text(st, except));
      assertEquals(sorted(allGroups), sorted(text(st, grouped)));
      assertEquals(firstGroups, text(st, ordered));
      assertEquals(sorted(unionRows), sorted(text(st, union)));
      assertEquals(funnelRows, text(st, funnel));
      st.setMaxRows(5);
      List<List<String>> someGroups = text(st, grouped);
      assertEquals(5, someGroups.size());
      assertTrue(allGroups.containsAll(someGroups), someGroups.toString());
      assertEquals(5, someGroups.stream().distinct().count());
      assertEquals(firstGroups.subList(0, 5), text(st, ordered));
      List<List<String>> someUnion = text(st, union);
      assertEquals(4, someUnion.size(), "fewer rows than the limit: all of them");
      assertEquals(sorted(unionRows), sorted(someUnion));
      st.setMaxRows(2);
      assertEquals(funnelRows.subList(0, 2), text(st, funnel));
      List<List<String>> twoOfUnion = text(st, union);
      assertEquals(2, twoOfUnion.size());
      assertTrue(unionRows.containsAll(twoOfUnion), twoOfUnion.toString());
    }
  }

  @Test
  void trailingSemicolonIsAccepted() throws SQLException {
    try (Connection c = SqlClient.connect(Credentials.Role.ANALYST)) {
      assertEquals(nativeLong(PROTO_COUNT_NATIVE), count(c, PROTO_COUNT_SQL + " ;\n "));
      try (var ps = c.prepareStatement(PROTO_COUNT_SQL + ";"); ResultSet rs = ps.executeQuery()) {
        rs.next();
        assertEquals(nativeLong(PROTO_COUNT_NATIVE), rs.getLong(1));
      }
    }
  }

  /** Closes the server's side of {@code c}, as a server restart forgets every connection. */
  private static void forgetOnServer(Connection c) throws Exception {
    String id = c.unwrap(AvaticaConnection.class).handle.id;
    HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
            URI.create(SqlClient.server().url() + "/avatica")).header("Authorization", basic(Credentials.Role.ADMIN))
        .POST(HttpRequest.BodyPublishers.ofString("{\"request\":\"closeConnection\",\"connectionId\":\"" + id + "\"}"))
        .build(), HttpResponse.BodyHandlers.ofString());
    assertEquals(200, r.statusCode(), r.body());
  }

  private static String basic(Credentials.Role role) {
    Credentials.User u = SqlClient.user(role);
    return "Basic " + Base64.getEncoder().encodeToString((u.name() + ":" + u.password()).getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void missingConnectionIsReportedSoClientsReconnect() throws Exception {
    long expected = nativeLong(PROTO_COUNT_NATIVE);
    try (Connection c = SqlClient.connect(Credentials.Role.ADMIN)) {
      assertEquals(expected, count(c, PROTO_COUNT_SQL));
      forgetOnServer(c);
      Exception e = assertThrows(Exception.class, () -> count(c, PROTO_COUNT_SQL));
      assertTrue(hasErrorCode(e, 1), chain(e)); // ErrorResponse.MISSING_CONNECTION_ERROR_CODE
      assertTrue(chain(e).contains("is not open on this server"), chain(e));
    }
    try (Connection c = SqlClient.connect(Credentials.Role.ADMIN, "/avatica", "protobuf",
        Map.of("transparent_reconnection", "true"))) {
      assertEquals(expected, count(c, PROTO_COUNT_SQL));
      forgetOnServer(c);
      assertEquals(expected, count(c, PROTO_COUNT_SQL), "reconnected transparently");
    }
  }

  @Test
  void anErrorPastTheHandlersIsAnAvaticaError() throws Exception {
    String deep = "SELECT " + "(".repeat(30_000) + "1" + ")".repeat(30_000);
    try (Connection c = SqlClient.connect(Credentials.Role.ADMIN, "/avatica", "json", Map.of());
         Statement st = c.createStatement()) {
      SQLException e = assertThrows(SQLException.class, () -> st.executeQuery(deep));
      assertFalse(e.getSQLState() == null || e.getSQLState().equals("00000"), chain(e));
      assertFalse(chain(e).contains("<html"), chain(e));
      assertEquals(1, SqlClient.rows(st, "SELECT 1").size()); // the connection still works
    }
  }

  /** One Avatica JSON request as Avatica Go and phoenixdb send it, without Basic credentials. */
  private static com.fasterxml.jackson.databind.JsonNode post(String path, String json) throws Exception {
    HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(SqlClient.server().url()
        + path)).POST(HttpRequest.BodyPublishers.ofString(json)).build(), HttpResponse.BodyHandlers.ofString());
    return new com.fasterxml.jackson.databind.ObjectMapper().readTree(r.body());
  }

  @Test
  void avaticaGoSchemaFromTheUrlPathIsTheDefault() throws Exception {
    long expected = nativeLong(PROTO_COUNT_NATIVE);
    Credentials.User u = SqlClient.user(Credentials.Role.ANALYST);
    for (String schema : List.of("avatica", "lode", "LODE")) {
      String id = java.util.UUID.randomUUID().toString();
      // what Avatica Go sends for http://host/avatica with user and password in the DSN
      com.fasterxml.jackson.databind.JsonNode open = post("/avatica", "{\"request\":\"openConnection\","
          + "\"connectionId\":\"" + id + "\",\"info\":{\"AutoCommit\":\"true\",\"Consistency\":\"8\","
          + "\"user\":\"" + u.name() + "\",\"password\":\"" + u.password() + "\",\"schema\":\"" + schema + "\"}}");
      assertEquals("openConnection", open.path("response").asText(), open.toString());
      int statement = post("/avatica", "{\"request\":\"createStatement\",\"connectionId\":\"" + id + "\"}")
          .path("statementId").asInt();
      com.fasterxml.jackson.databind.JsonNode result = post("/avatica", "{\"request\":\"prepareAndExecute\","
          + "\"connectionId\":\"" + id + "\",\"statementId\":" + statement + ",\"sql\":\"" + PROTO_COUNT_SQL
          + "\",\"maxRowCount\":-1}");
      assertEquals(expected, result.path("results").path(0).path("firstFrame").path("rows").path(0).path(0).asLong(),
          schema + ": " + result);
    }
    com.fasterxml.jackson.databind.JsonNode unknown = post("/avatica", "{\"request\":\"openConnection\","
        + "\"connectionId\":\"" + java.util.UUID.randomUUID() + "\",\"info\":{\"user\":\"" + u.name()
        + "\",\"password\":\"" + u.password() + "\",\"schema\":\"nosuch\"}}");
    assertTrue(unknown.path("errorMessage").asText().contains("schema 'nosuch' does not exist; this user's schemas"
        + " are lode"), unknown.toString());
  }

  @Test
  void statusAnswersMetabaseItsVersion() throws Exception {
    HttpClient http = HttpClient.newHttpClient();
    // Metabase's Druid JDBC driver: a plain GET without credentials, reading "version" as major.minor
    HttpResponse<String> anonymous = http.send(HttpRequest.newBuilder(URI.create(SqlClient.server().url()
        + "/status")).GET().build(), HttpResponse.BodyHandlers.ofString());
    assertEquals(200, anonymous.statusCode(), anonymous.body());
    com.fasterxml.jackson.databind.JsonNode body = new com.fasterxml.jackson.databind.ObjectMapper()
        .readTree(anonymous.body());
    List<String> fields = new ArrayList<>();
    body.fieldNames().forEachRemaining(fields::add);
    assertEquals(List.of("version"), fields, "nothing but the version without credentials: " + anonymous.body());
    assertEquals(dev.lode.app.LodeVersion.get(), body.path("version").asText());
    assertTrue(body.path("version").asText().matches("^\\d+\\.\\d+.*"), anonymous.body());
    HttpResponse<String> operator = http.send(HttpRequest.newBuilder(URI.create(SqlClient.server().url()
        + "/status")).header("Authorization", basic(Credentials.Role.VIEWER)).GET().build(),
        HttpResponse.BodyHandlers.ofString());
    String clickhouse;
    try (Connection w = SqlClient.warehouse(); Statement st = w.createStatement();
         ResultSet rs = st.executeQuery("SELECT version()")) {
      rs.next();
      clickhouse = rs.getString(1);
    }
    assertTrue(operator.body().contains("\"clickhouseVersion\":\"" + clickhouse + "\""), operator.body());
    HttpResponse<String> wrong = http.send(HttpRequest.newBuilder(URI.create(SqlClient.server().url()
        + "/status")).header("Authorization", "Basic " + Base64.getEncoder().encodeToString("nobody:x".getBytes(
            StandardCharsets.UTF_8))).GET().build(), HttpResponse.BodyHandlers.ofString());
    assertEquals(401, wrong.statusCode(), "wrong credentials are still refused");
  }

  @Test
  void productNameAndVersion() throws SQLException {
    try (Connection c = DriverManager.getConnection(SqlClient.url("/", "protobuf"), properties(Credentials.Role.VIEWER))) {
      DatabaseMetaData md = c.getMetaData();
      // the Java driver answers getDatabaseProductName from its own jar; what the server sends is here
      Properties server = md.unwrap(org.apache.calcite.avatica.AvaticaSpecificDatabaseMetaData.class)
          .getRemoteAvaticaProperties();
      assertTrue(server.containsValue("Lode"), server.toString());
      assertTrue(server.containsValue(dev.lode.app.LodeVersion.get()), server.toString());
    }
  }
}
