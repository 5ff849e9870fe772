package dev.lode.sql;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lode.config.Credentials;
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
import org.apache.calcite.avatica.AvaticaConnection;
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
    SQLException bad = assertThrows(SQLException.class,
        () -> DriverManager.getConnection(SqlClient.url("/druid/v2/sql/avatica/", "protobuf"), wrong)
            .createStatement().executeQuery("SELECT 1"));
    assertEquals("28000", bad.getSQLState(), chain(bad));
    assertTrue(chain(bad).contains("authentication failed for user '" + wrong.getProperty("user") + "'"), chain(bad));
    Properties userOnly = new Properties();
    userOnly.setProperty("user", wrong.getProperty("user"));
    SQLException noPassword = assertThrows(SQLException.class,
        () -> DriverManager.getConnection(SqlClient.url("/avatica", "json"), userOnly).createStatement()
            .executeQuery("SELECT 1"));
    assertEquals("28000", noPassword.getSQLState(), chain(noPassword));
  }

  @Test
  void harmlessClientPropertiesAreAccepted() throws SQLException {
    long expected = nativeLong(PROTO_COUNT_NATIVE);
    Map<String, String> avaticaGo = Map.of("AutoCommit", "true", "Consistency", "8", "ReadOnly", "true",
        "TransactionIsolation", "2", "sqlTimeZone", "Etc/UTC");
    try (Connection c = SqlClient.connect(Credentials.Role.VIEWER, "/avatica", "protobuf", avaticaGo)) {
      assertEquals(expected, count(c, PROTO_COUNT_SQL));
    }
    SQLException invalid = assertThrows(SQLException.class, () -> SqlClient.connect(Credentials.Role.VIEWER,
        "/avatica", "protobuf", Map.of("sqlTimeZone", "Mars/Olympus")).createStatement().executeQuery("SELECT 1"));
    assertEquals("22023", invalid.getSQLState(), chain(invalid));
    assertTrue(chain(invalid).contains("'sqlTimeZone': 'Mars/Olympus' is not a time zone id"), chain(invalid));
    SQLException shifted = assertThrows(SQLException.class, () -> SqlClient.connect(Credentials.Role.VIEWER,
        "/avatica", "protobuf", Map.of("sqlTimeZone", "Europe/Paris")).createStatement().executeQuery("SELECT 1"));
    assertEquals("22023", shifted.getSQLState(), chain(shifted));
    assertTrue(chain(shifted).contains("time zone 'Europe/Paris' is not supported"), chain(shifted));
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
      // the LIMIT reached ClickHouse: the engine's query log has the pushed-down query with it
      try (Connection w = SqlClient.warehouse(); Statement n = w.createStatement()) {
        n.execute("SYSTEM FLUSH LOGS");
        try (ResultSet rs = n.executeQuery("SELECT query FROM system.query_log WHERE type = 'QueryFinish'"
            + " AND query LIKE '%limit-probe-7%' AND query NOT LIKE '%system.query_log%'")) {
          assertTrue(rs.next(), "the probe query is in system.query_log");
          assertTrue(rs.getString(1).matches("(?s).*LIMIT 7\\b.*"), rs.getString(1));
        }
      }
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
      boolean missing = false;
      for (Throwable t = e; t != null; t = t.getCause()) {
        missing |= t instanceof SQLException se && se.getErrorCode() == 1; // ErrorResponse.MISSING_CONNECTION_ERROR_CODE
      }
      assertTrue(missing, chain(e));
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
