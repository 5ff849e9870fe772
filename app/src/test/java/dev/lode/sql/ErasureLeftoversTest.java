package dev.lode.sql;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lode.app.PrivacyAdmin;
import dev.lode.config.Credentials;
import dev.lode.config.Credentials.Role;
import dev.lode.config.LodeConfig;
import dev.lode.erasure.Erasure;
import dev.lode.hash.Sha256;
import dev.lode.privacy.IdVariants;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.Statement;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * What an erasure used to leave behind: the admin's query texts naming the person in the SQL
 * audit log, the same user id accepted again in another case or with spaces, the same email
 * accepted under a new user id, a collector-identified person not found by email, and a
 * "completed" erasure of nobody.
 */
class ErasureLeftoversTest {
  private static final PrivacyFixture DORA = PrivacyFixture.of("dora");

  @Test
  void erasureScrubsAuditTextsAndSuppressesVariantsAndTraits() throws Exception {
    try (Connection w = SqlClient.warehouse()) {
      DORA.insert(w);
    }
    try (Connection c = SqlClient.connect(Role.ADMIN); Statement st = c.createStatement()) {
      SqlClient.rows(st, "SELECT count(*) FROM persons WHERE email = '" + DORA.email() + "'");
      SqlClient.rows(st, "SELECT count(*) FROM events WHERE user_id = '" + DORA.userId().toUpperCase() + "'");
    }
    // at once: the admin's statements may still be queued in the audit log (it writes every second),
    // and the erasure must write them out and scrub them too
    HttpResponse<String> r = forget(DORA.email());
    assertEquals(200, r.statusCode(), r.body());
    JsonNode report = new ObjectMapper().readTree(r.body());
    assertEquals("completed", report.get("status").asText(), r.body());
    assertTrue(report.get("deleted").get("audit_queries (texts scrubbed)").asLong() >= 2, r.body());
    assertEquals(0, report.get("remaining").get("audit_queries (texts scrubbed)").asLong(), r.body());
    String texts = auditTexts();
    for (String mark : List.of(DORA.email(), DORA.userId(), DORA.personId())) {
      assertFalse(texts.toLowerCase().contains(mark.toLowerCase()), "the audit log still names " + mark);
    }
    assertTrue(texts.contains("[erased]"), "nothing was scrubbed");

    // the same user id in another case and with spaces, and the same email under a new user id, stay out
    assertTrue(send("{\"type\":\"track\",\"event\":\"page_view\",\"userId\":\"  " + DORA.userId().toUpperCase()
        + " \",\"messageId\":\"dora-variant-1\"}").contains("\"suppressed\":1"));
    assertTrue(send("{\"type\":\"identify\",\"userId\":\"dora-new-account\",\"messageId\":\"dora-variant-2\","
        + "\"traits\":{\"email\":\" Dora@Example.COM\"}}").contains("\"suppressed\":1"));
    assertTrue(send("{\"type\":\"track\",\"event\":\"page_view\",\"userId\":\"dora-unrelated-zz\","
        + "\"messageId\":\"dora-variant-3\"}").contains("\"accepted\":1"));

    // an erasure of nobody says so and fails
    HttpResponse<String> nobody = forget("nobody-zz-16@example.com");
    assertEquals(404, nobody.statusCode(), nobody.body());
    assertTrue(nobody.body().contains("nobody matches"), nobody.body());
  }

  /** A person the collector identified by a traits.email it hashed at ingest is found by that email. */
  @Test
  void collectorHashedEmailIsFoundByTheEmail() throws Exception {
    String ingestSalt = "probe-ingest-salt-16a";
    LodeConfig config = SqlClient.server().context().config().with("lode.collector.pii.salt", ingestSalt);
    String email = "erin.hashed@example.com";
    String atIngest = new IdVariants(Optional.of(ingestSalt)).ingestHash(email).orElseThrow();
    // what the identity resolver stores for such a person: the SHA-256 of the collector's salted hash
    try (Connection w = SqlClient.warehouse(); Statement st = w.createStatement()) {
      st.execute("INSERT INTO identities (id_type, id_value, person_id, first_seen, updated_at, source, link_reason)"
          + " VALUES ('email_sha256', '" + Sha256.hex(atIngest) + "', 'person-erin-16', now64(3), now64(3), 'web',"
          + " 'identify'), ('user_id', 'erin-login-16', 'person-erin-16', now64(3), now64(3), 'web', 'login')");
      st.execute("INSERT INTO events (event_id, event_time, received_time, distinct_id, user_id, person_id, event_type,"
          + " event_name, properties, source) VALUES ('erin-16-e1', now64(3), now64(3), 'erin-login-16',"
          + " 'erin-login-16', 'person-erin-16', 'identify', 'identify', map('email', '" + atIngest + "'), 'web')");
    }
    Erasure erasure = PrivacyAdmin.erasure(config, SqlClient.server().context().warehouse());
    Erasure.Report report = erasure.forget(email, "test");
    assertEquals("completed", report.status());
    assertEquals(1, report.persons());
    assertEquals(1L, report.deleted().get("events"));
    assertEquals(2L, report.deleted().get("identities"));
    // and nobody is nobody: a clear error, nothing recorded as completed
    Erasure.NobodyMatches none = assertThrows(Erasure.NobodyMatches.class,
        () -> erasure.forget("erin.hashed@example.com", "test"));
    assertTrue(none.getMessage().contains("nobody matches"), none.getMessage());
  }

  private static String auditTexts() throws Exception {
    StringBuilder out = new StringBuilder();
    try (Connection w = SqlClient.warehouse(); Statement st = w.createStatement();
         var rs = st.executeQuery("SELECT statement, error FROM audit_queries")) {
      while (rs.next()) {
        out.append(rs.getString(1)).append('\n').append(rs.getString(2)).append('\n');
      }
    }
    return out.toString();
  }

  private static HttpResponse<String> forget(String id) throws Exception {
    Credentials.User u = SqlClient.user(Role.ADMIN);
    String auth = Base64.getEncoder().encodeToString((u.name() + ":" + u.password()).getBytes(StandardCharsets.UTF_8));
    try (HttpClient http = HttpClient.newHttpClient()) {
      return http.send(HttpRequest.newBuilder(URI.create(SqlClient.server().url() + "/admin/forget"))
          .header("Authorization", "Basic " + auth).header("Content-Type", "application/json")
          .POST(HttpRequest.BodyPublishers.ofString("{\"id\":\"" + id + "\"}")).build(),
          HttpResponse.BodyHandlers.ofString());
    }
  }

  private static String send(String message) throws Exception {
    String key = SqlClient.server().context().credentials().writeKeys().keySet().iterator().next();
    String auth = Base64.getEncoder().encodeToString((key + ":").getBytes(StandardCharsets.UTF_8));
    String body = message.substring(0, message.length() - 1) + ",\"timestamp\":\"" + java.time.Instant.now() + "\"}";
    try (HttpClient http = HttpClient.newHttpClient()) {
      return http.send(HttpRequest.newBuilder(URI.create(SqlClient.server().url() + "/v1/track".replace("track",
              message.contains("identify") ? "identify" : "track")))
          .header("Authorization", "Basic " + auth).header("Content-Type", "application/json")
          .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString()).body();
    }
  }
}
