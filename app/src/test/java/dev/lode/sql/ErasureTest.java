package dev.lode.sql;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lode.config.Credentials;
import dev.lode.config.Credentials.Role;
import dev.lode.privacy.PrivacySettings;
import dev.lode.privacy.SuppressionList;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Bob's data is loaded into every silo next to Carol's; {@code POST /admin/forget} with Bob's
 * email removes every row of every warehouse table that mentions any of Bob's ids (checked
 * over each row's full text, independently of how the erasure finds them), his lines in
 * report outputs, and adds his ids to the suppression list — while Carol's rows are all
 * still there and the erasure record holds no PII.
 */
class ErasureTest {
  private static final PrivacyFixture BOB = PrivacyFixture.of("bob");
  private static final PrivacyFixture CAROL = PrivacyFixture.of("carol");

  @Test
  void forgettingBobLeavesNothingOfHimAndAllOfCarol() throws Exception {
    Path reports = PrivacySettings.of(SqlClient.server().context().config()).reportOutputDir();
    Files.createDirectories(reports.resolve("top_customers"));
    Path csv = reports.resolve("top_customers").resolve("2032-03-05.csv");
    Files.writeString(csv, "person_id,user,revenue\r\nperson-bob,bob-login,42.5\r\nperson-carol,carol-login,10\r\n");
    Path html = reports.resolve("top_customers").resolve("2032-03-05.html");
    Files.writeString(html, "<table><tr><td>person-bob</td></tr><tr><td>person-carol</td></tr></table>");
    Path unrelated = reports.resolve("top_customers").resolve("other.csv");
    Files.writeString(unrelated, "person_id\r\nperson-bobby\r\n");
    try (Connection w = SqlClient.warehouse()) {
      BOB.insert(w);
      CAROL.insert(w);
    }
    // Bob also sends an event through the collector: it goes through the durable spool
    HttpResponse<String> tracked = track(BOB.userId(), "bob-tracked-1");
    assertEquals(200, tracked.statusCode(), tracked.body());
    awaitEvent("bob-tracked-1");
    List<String> bobMarks = new ArrayList<>(BOB.rawValues());
    bobMarks.add(BOB.personId());
    bobMarks.add(sha256(BOB.email()));
    Map<String, Long> bobBefore = mentions(bobMarks);
    Map<String, Long> carolBefore = mentions(List.of(CAROL.personId(), CAROL.email(), CAROL.userId()));
    assertTrue(bobBefore.values().stream().mapToLong(Long::longValue).sum() >= 15, bobBefore.toString());
    for (String table : List.of("events", "persons", "identities", "orders", "order_lines", "tickets",
        "campaign_sends", "campaign_responses", "consents", "tag_values", "quarantine", "crm_contacts",
        "identity_links", "identity_merges", "profiles_store", "tag_membership_daily")) {
      assertTrue(bobBefore.get(table) > 0, "fixture has no Bob row in " + table);
    }

    assertEquals(403, post(Role.ANALYST, "{\"id\":\"bob@example.com\"}").statusCode());
    assertEquals(400, post(Role.ADMIN, "{\"id\":\"undefined\"}").statusCode());
    HttpResponse<String> r = post(Role.ADMIN, "{\"id\":\"" + BOB.email() + "\"}");
    assertEquals(200, r.statusCode(), r.body());
    JsonNode report = new ObjectMapper().readTree(r.body());
    assertEquals("completed", report.get("status").asText());
    assertEquals(2, report.get("persons").asInt()); // Bob and the person merged into him
    assertEquals(3, report.get("deleted").get("events").asLong());
    assertTrue(report.get("deleted").get("collector_spool").asLong() >= 1, r.body());
    assertEquals(2, report.get("deleted").get("report_outputs").asLong());

    Map<String, Long> bobAfter = mentions(bobMarks);
    for (Map.Entry<String, Long> e : bobAfter.entrySet()) {
      assertEquals(0L, e.getValue(), "rows mentioning Bob remain in " + e.getKey());
    }
    assertEquals(carolBefore, mentions(List.of(CAROL.personId(), CAROL.email(), CAROL.userId())));

    assertEquals("person_id,user,revenue\r\nperson-carol,carol-login,10\r\n", Files.readString(csv));
    assertFalse(Files.exists(html));
    assertEquals("person_id\r\nperson-bobby\r\n", Files.readString(unrelated));

    // no spool segment on disk still holds Bob's raw event
    Path spool = SqlClient.server().context().config().dataDir().resolve("collector").resolve("spool");
    try (var files = Files.list(spool)) {
      for (Path f : files.toList()) {
        assertFalse(new String(Files.readAllBytes(f), StandardCharsets.ISO_8859_1).contains(BOB.userId()), f.toString());
      }
    }
    // and the collector no longer accepts his events
    HttpResponse<String> again = track(BOB.userId(), "bob-tracked-2");
    assertEquals(200, again.statusCode());
    assertTrue(again.body().contains("\"suppressed\":1"), again.body());
    assertEquals(200, track(CAROL.userId(), "carol-tracked-1").statusCode());
    awaitEvent("carol-tracked-1");
    try (Connection w = SqlClient.warehouse(); Statement st = w.createStatement();
         ResultSet rs = st.executeQuery("SELECT count() FROM events WHERE event_id = 'bob-tracked-2'")) {
      rs.next();
      assertEquals(0, rs.getLong(1));
    }

    SuppressionList suppressed = SuppressionList.of(SqlClient.server().context().warehouse(),
        PrivacySettings.of(SqlClient.server().context().config()));
    assertTrue(suppressed.isSuppressed(BOB.userId()));
    assertTrue(suppressed.isSuppressed("x", BOB.anonymousId()));
    assertFalse(suppressed.isSuppressed(CAROL.userId(), CAROL.anonymousId()));

    // the audit record, read by an admin over SQL, says what happened without naming Bob
    try (Connection c = SqlClient.connect(Role.ADMIN); Statement st = c.createStatement()) {
      List<List<Object>> rows = SqlClient.rows(st, "SELECT requested_by, persons, status, subject_hash,"
          + " CAST(deleted AS VARCHAR), CAST(remaining AS VARCHAR) FROM audit.erasures"
          + " WHERE erasure_id = '" + report.get("erasureId").asText() + "'");
      assertEquals(1, rows.size());
      assertEquals(List.of(SqlClient.user(Role.ADMIN).name(), "2", "completed"),
          rows.get(0).subList(0, 3).stream().map(String::valueOf).toList());
      String text = rows.toString();
      for (String mark : bobMarks) {
        assertFalse(text.contains(mark), "the erasure record names " + mark);
      }
    }
  }

  private static HttpResponse<String> track(String userId, String messageId) throws Exception {
    String key = SqlClient.server().context().credentials().writeKeys().keySet().iterator().next();
    String auth = Base64.getEncoder().encodeToString((key + ":").getBytes(StandardCharsets.UTF_8));
    try (HttpClient http = HttpClient.newHttpClient()) {
      return http.send(HttpRequest.newBuilder(URI.create(SqlClient.server().url() + "/v1/track"))
          .header("Authorization", "Basic " + auth).header("Content-Type", "application/json")
          .POST(HttpRequest.BodyPublishers.ofString("{\"type\":\"track\",\"event\":\"page_view\",\"userId\":\""
              + userId + "\",\"messageId\":\"" + messageId + "\",\"timestamp\":\"" + java.time.Instant.now() + "\","
              + "\"context\":{\"ip\":\"203.0.113.99\"}}")).build(), HttpResponse.BodyHandlers.ofString());
    }
  }

  /** Waits until the collector's flusher has stored the event. */
  private static void awaitEvent(String eventId) throws Exception {
    long deadline = System.currentTimeMillis() + 30_000;
    while (System.currentTimeMillis() < deadline) {
      try (Connection w = SqlClient.warehouse(); Statement st = w.createStatement();
           ResultSet rs = st.executeQuery("SELECT count() FROM events WHERE event_id = '" + eventId + "'")) {
        rs.next();
        if (rs.getLong(1) > 0) {
          return;
        }
      }
      Thread.sleep(100);
    }
    throw new AssertionError("the collector did not store " + eventId);
  }

  /** Per table of the warehouse, the rows whose full text contains any of {@code marks}. */
  private static Map<String, Long> mentions(List<String> marks) throws SQLException {
    Map<String, Long> out = new LinkedHashMap<>();
    try (Connection w = SqlClient.warehouse(); Statement st = w.createStatement()) {
      List<String> tables = new ArrayList<>();
      try (ResultSet rs = st.executeQuery("SELECT name FROM system.tables WHERE database = currentDatabase()"
          + " AND engine LIKE '%MergeTree' AND name NOT IN ('erasures', 'suppressed_ids', 'audit_queries')")) {
        while (rs.next()) {
          tables.add(rs.getString(1));
        }
      }
      StringBuilder any = new StringBuilder();
      for (String m : marks) {
        any.append(any.isEmpty() ? "" : " OR ").append("position(formatRow('TabSeparated', *), ")
            .append(PrivacyFixture.q(m)).append(") > 0");
      }
      for (String t : tables) {
        try (ResultSet rs = st.executeQuery("SELECT count() FROM `" + t + "` WHERE " + any)) {
          rs.next();
          out.put(t, rs.getLong(1));
        }
      }
    }
    return out;
  }

  private static HttpResponse<String> post(Role role, String body) throws Exception {
    Credentials.User u = SqlClient.user(role);
    String auth = Base64.getEncoder().encodeToString((u.name() + ":" + u.password()).getBytes(StandardCharsets.UTF_8));
    try (HttpClient http = HttpClient.newHttpClient()) {
      return http.send(HttpRequest.newBuilder(URI.create(SqlClient.server().url() + "/admin/forget"))
          .header("Authorization", "Basic " + auth).header("Content-Type", "application/json")
          .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }
  }

  private static String sha256(String email) throws Exception {
    return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
        .digest(email.getBytes(StandardCharsets.UTF_8)));
  }
}
