package dev.lode.sql;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lode.config.Credentials;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The JDBC endpoint refuses what it must: unauthenticated requests, wrong passwords, client
 * connection properties that would mount their own schema, writes by analysts and viewers,
 * statements over the timeout and results over the row limit — each with an error that says
 * what was wrong.
 */
class SqlEndpointSecurityTest {
  @BeforeAll
  static void data() throws SQLException {
    List<Ev> events = new ArrayList<>();
    for (int i = 0; i < 1200; i++) {
      events.add(Ev.of("sec-" + i, "sec-p" + (i % 40), 1_900_000_000_000L + i * 1000L, "page_view"));
    }
    for (int i = 0; i < 20_000; i++) {
      events.add(Ev.of("slow-" + i, "slow-p" + (i % 2), 1_900_000_000_000L + i * 1000L, "slow_event"));
    }
    try (Connection w = SqlClient.warehouse()) {
      Ev.insert(w, events);
    }
  }

  private static String message(Exception e) {
    StringBuilder b = new StringBuilder();
    for (Throwable t = e; t != null; t = t.getCause()) {
      b.append(t.getMessage()).append('\n');
    }
    return b.toString();
  }

  @Test
  void unauthenticatedHttpIsRefused() throws Exception {
    HttpClient http = HttpClient.newHttpClient();
    // without any credentials the connection's own properties must authenticate it
    HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(SqlClient.server().url() + "/avatica"))
        .POST(HttpRequest.BodyPublishers.ofString("{\"request\":\"openConnection\",\"connectionId\":\"x\"}")).build(),
        HttpResponse.BodyHandlers.ofString());
    assertEquals(401, r.statusCode(), "a connection without credentials gets a Basic challenge");
    assertTrue(r.body().contains("authentication required"), r.body());
    HttpResponse<String> use = http.send(HttpRequest.newBuilder(URI.create(SqlClient.server().url() + "/avatica"))
        .POST(HttpRequest.BodyPublishers.ofString("{\"request\":\"createStatement\",\"connectionId\":\"x\"}"))
        .build(), HttpResponse.BodyHandlers.ofString());
    assertTrue(use.body().contains("NoSuchConnectionException") || use.body().contains("\"errorCode\":1"), use.body());
    HttpResponse<String> wrong = http.send(HttpRequest.newBuilder(URI.create(SqlClient.server().url() + "/avatica"))
        .header("Authorization", "Basic " + java.util.Base64.getEncoder().encodeToString("nobody:x".getBytes()))
        .POST(HttpRequest.BodyPublishers.ofString("{}")).build(), HttpResponse.BodyHandlers.ofString());
    assertEquals(401, wrong.statusCode());
    assertTrue(wrong.body().contains("authentication required"), wrong.body());
    HttpResponse<String> druid = http.send(HttpRequest.newBuilder(URI.create(SqlClient.server().url()
        + "/druid/v2/sql/avatica/")).GET().build(), HttpResponse.BodyHandlers.ofString());
    assertTrue(druid.statusCode() == 401 || druid.statusCode() == 405, "only POSTs: " + druid.statusCode());
  }

  @Test
  void driverWithoutOrWithWrongCredentialsIsRefused() {
    // the Avatica client reports HTTP failures as runtime exceptions
    Exception none = assertThrows(Exception.class, () -> {
      try (Connection c = DriverManager.getConnection(SqlClient.url("/avatica", "protobuf"));
           Statement st = c.createStatement()) {
        st.executeQuery("SELECT 1");
      }
    });
    assertTrue(message(none).contains("401"), message(none));
    Properties p = new Properties();
    p.setProperty("authentication", "BASIC");
    p.setProperty("avatica_user", SqlClient.user(Credentials.Role.ANALYST).name());
    p.setProperty("avatica_password", "not-the-password");
    Exception e = assertThrows(Exception.class, () -> {
      try (Connection c = DriverManager.getConnection(SqlClient.url("/avatica", "protobuf"), p);
           Statement st = c.createStatement()) {
        st.executeQuery("SELECT 1");
      }
    });
    assertTrue(message(e).contains("401"), message(e));
  }

  @Test
  void clientSchemaPropertiesAreRefused() throws SQLException {
    // "schema" is the JDBC current schema, which the Avatica driver keeps to itself: it mounts nothing
    try (Connection c = SqlClient.connect(Credentials.Role.ADMIN, "/avatica", "protobuf",
        Map.of("schema", "inline:{version:'1.0',schemas:[]}")); Statement st = c.createStatement()) {
      assertEquals(1, SqlClient.rows(st, "SELECT COUNT(*) FROM events").size());
    }
    for (String key : List.of("model", "schemaFactory", "schemaType", "parserFactory", "fun", "typeSystem")) {
      Exception e = assertThrows(Exception.class, () -> {
        try (Connection c = SqlClient.connect(Credentials.Role.ADMIN, "/avatica", "protobuf",
            Map.of(key, "inline:{version:'1.0',schemas:[]}")); Statement st = c.createStatement()) {
          st.executeQuery("SELECT 1");
        }
      }, key);
      assertTrue(message(e).contains("connection property '" + key + "' is not accepted from clients"), message(e));
    }
  }

  @Test
  void analystsAndViewersAreReadOnly() throws SQLException {
    for (Credentials.Role role : List.of(Credentials.Role.ANALYST, Credentials.Role.VIEWER)) {
      try (Connection c = SqlClient.connect(role); Statement st = c.createStatement()) {
        SQLException e = assertThrows(SQLException.class,
            () -> st.executeUpdate("INSERT INTO events (event_id) VALUES ('x')"));
        assertTrue(message(e).contains("is read-only: INSERT statements are refused"), message(e));
        assertEquals("42501", e.getSQLState(), "insufficient privilege (Avatica's default would be 00000, success)");
        SQLException d = assertThrows(SQLException.class, () -> st.executeUpdate("DELETE FROM events"));
        assertTrue(message(d).contains("read-only"), message(d));
        assertEquals(1, SqlClient.rows(st, "SELECT 1").size()); // the connection still works
      }
    }
  }

  @Test
  void statementTimeoutIsAClearError() throws SQLException {
    try (Connection c = SqlClient.connect(Credentials.Role.ANALYST); Statement st = c.createStatement()) {
      long t0 = System.nanoTime();
      SQLException e = assertThrows(SQLException.class, () -> SqlClient.rows(st,
          "SELECT count(*) FROM events a JOIN events b ON a.distinct_id = b.distinct_id"
              + " JOIN events c ON b.distinct_id = c.distinct_id"
              + " WHERE a.event_name = 'slow_event' AND b.event_name = 'slow_event' AND c.event_name = 'slow_event'"));
      double seconds = (System.nanoTime() - t0) / 1e9;
      assertTrue(message(e).contains("statement timeout: the query ran longer than lode.sql.timeout-seconds="
          + SqlClient.TIMEOUT_SECONDS), message(e));
      assertEquals("57014", e.getSQLState());
      assertTrue(seconds < SqlClient.TIMEOUT_SECONDS + 8, "stopped after " + seconds + " s");
      assertEquals(1, SqlClient.rows(st, "SELECT 1").size()); // the statement is usable again
    }
  }

  @Test
  void anAdminsRecursionInTheJvmStopsAtTheTimeout() throws SQLException {
    try (Connection c = SqlClient.connect(Credentials.Role.ADMIN); Statement st = c.createStatement()) {
      // a small recursion runs and answers right (1 + 2 + … + 100, summed here)
      long expected = 0;
      for (int n = 1; n <= 100; n++) {
        expected += n;
      }
      List<List<Object>> small = SqlClient.rows(st, "WITH RECURSIVE t(n) AS (VALUES (1) UNION ALL SELECT n + 1 FROM t"
          + " WHERE n < 100) SELECT sum(n), count(*) FROM t");
      assertEquals(expected, ((Number) small.get(0).get(0)).longValue());
      assertEquals(100L, ((Number) small.get(0).get(1)).longValue());
      // two billion rows generated in the JVM, none read from ClickHouse: watched row by row, it stops at the timeout
      long t0 = System.nanoTime();
      SQLException e = assertThrows(SQLException.class, () -> SqlClient.rows(st, "WITH RECURSIVE t(n) AS"
          + " (VALUES (1) UNION ALL SELECT n + 1 FROM t WHERE n < 2000000000) SELECT count(*) FROM t"));
      double seconds = (System.nanoTime() - t0) / 1e9;
      assertEquals("57014", e.getSQLState(), message(e));
      assertTrue(message(e).contains("lode.sql.timeout-seconds=" + SqlClient.TIMEOUT_SECONDS), message(e));
      assertTrue(seconds < SqlClient.TIMEOUT_SECONDS + 8, "stopped after " + seconds + " s");
    }
  }

  @Test
  void resultSizeLimitIsAClearError() throws SQLException {
    try (Connection c = SqlClient.connect(Credentials.Role.ANALYST); Statement st = c.createStatement()) {
      // the server reads the result before answering the execute call, so the overrun fails the
      // statement (a SQLException), not a later fetch (which the Avatica client raises unchecked)
      SQLException e = assertThrows(SQLException.class, () -> st.executeQuery(
          "SELECT a.event_id, b.event_id FROM events a, events b WHERE a.event_id LIKE 'sec-%' AND b.event_id LIKE 'sec-%'"));
      assertTrue(message(e).contains("result too large: more than lode.sql.max-rows=" + SqlClient.MAX_ROWS), message(e));
      assertEquals("54000", e.getSQLState());
      // exactly at the limit is fine, and is fetched in many frames
      assertEquals((int) SqlClient.MAX_ROWS, SqlClient.rows(st, "SELECT a.event_id FROM events a, events b"
          + " WHERE a.event_id LIKE 'sec-%' AND b.event_id LIKE 'sec-%' LIMIT " + SqlClient.MAX_ROWS).size());
      List<List<Object>> limited = SqlClient.rows(st, "SELECT a.event_id FROM events a WHERE a.event_id LIKE 'sec-%'"
          + " ORDER BY a.event_id LIMIT 10");
      assertEquals(10, limited.size());
    }
  }

  /** Bad SQL fails the statement with a SQLException that says what was wrong, for every role. */
  @Test
  void badSqlIsASqlExceptionNamingTheProblem() throws SQLException {
    for (Credentials.Role role : List.of(Credentials.Role.ADMIN, Credentials.Role.ANALYST)) {
      try (Connection c = SqlClient.connect(role); Statement st = c.createStatement()) {
        SQLException syntax = assertThrows(SQLException.class, () -> st.executeQuery("SELECT FROM WHERE"));
        assertTrue(message(syntax).contains("SQL syntax error"), message(syntax));
        assertEquals("42601", syntax.getSQLState());
        SQLException table = assertThrows(SQLException.class, () -> st.executeQuery("SELECT * FROM no_such_table"));
        assertTrue(message(table).contains("Object 'no_such_table' not found"), message(table));
        assertEquals("42000", table.getSQLState());
        SQLException column = assertThrows(SQLException.class, () -> st.executeQuery("SELECT no_such_column FROM events"));
        assertTrue(message(column).contains("Column 'no_such_column' not found"), message(column));
        // an error only ClickHouse finds: its own reason reaches the client
        SQLException engine = assertThrows(SQLException.class,
            () -> st.executeQuery("SELECT CAST(event_id AS INTEGER) FROM events WHERE event_id LIKE 'sec-%'"));
        assertTrue(message(engine).contains("ClickHouse could not run the query: Code: 6. DB::Exception: Cannot parse"
            + " string 'sec-"), message(engine));
        assertEquals(1, SqlClient.rows(st, "SELECT 1").size()); // the connection still works
      }
    }
  }

  @Test
  void badFunctionArgumentsNameTheArgument() throws SQLException {
    try (Connection c = SqlClient.connect(Credentials.Role.ANALYST); Statement st = c.createStatement()) {
      SQLException e = assertThrows(SQLException.class,
          () -> SqlClient.rows(st, "SELECT * FROM TABLE(funnel('a,b', 60, 'sideways'))"));
      assertTrue(message(e).contains("funnel(mode) must be one of ordered, strict, unordered, window_funnel, got 'sideways'"), message(e));
      assertEquals("22023", e.getSQLState());
      SQLException f = assertThrows(SQLException.class,
          () -> SqlClient.rows(st, "SELECT * FROM TABLE(funnel('a,b[nope=1]', 60))"));
      assertTrue(message(f).contains("unknown event field 'nope'"), message(f));
      SQLException g = assertThrows(SQLException.class,
          () -> SqlClient.rows(st, "SELECT * FROM TABLE(retention('a', 'b', 'fortnight', 3))"));
      assertTrue(message(g).contains("retention(period) must be one of day, week, month"), message(g));
      SQLException h = assertThrows(SQLException.class,
          () -> SqlClient.rows(st, "SELECT * FROM TABLE(funnel('a'' OR 1=1 --,b', 60, 'ordered', 'yesterday'))"));
      assertTrue(message(h).contains("from: 'yesterday' is not a date"), message(h));
    }
  }
}
