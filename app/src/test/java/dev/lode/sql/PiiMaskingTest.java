package dev.lode.sql;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lode.config.Credentials.Role;
import dev.lode.privacy.PrivacySettings;
import dev.lode.privacy.Pseudonym;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * An analyst, connected through the Avatica driver, tries to read PII through every query
 * shape we could think of; no shape returns a raw value, predicate probing finds nothing,
 * and masked ids still join. Admins see the raw values; viewers see neither.
 */
class PiiMaskingTest {
  private static final PrivacyFixture ALICE = PrivacyFixture.of("alice");

  @BeforeAll
  static void insert() throws SQLException {
    try (Connection w = SqlClient.warehouse()) {
      ALICE.insert(w);
    }
  }

  /** Each shape reads a masked column a different way; none may reveal a raw value. */
  static final Map<String, String> SHAPES = Map.ofEntries(
      Map.entry("plain", "SELECT email, phone FROM persons WHERE person_id = 'person-alice'"),
      Map.entry("cast", "SELECT CAST(email AS VARCHAR(200)), CAST(phone AS CHAR(60)), CAST(ip AS VARCHAR)"
          + " FROM persons, events WHERE persons.person_id = 'person-alice' AND events.person_id = 'person-alice'"),
      Map.entry("concat", "SELECT CONCAT(email, '|', phone), 'x' || body || 'y' FROM persons, tickets"
          + " WHERE persons.person_id = 'person-alice' AND tickets.person_id = 'person-alice'"),
      Map.entry("substring", "SELECT SUBSTRING(email FROM 1 FOR 5), SUBSTRING(body, 1, 20), UPPER(user_agent),"
          + " LOWER(requester), TRIM(subject), REVERSE(email), POSITION('@' IN email)"
          + " FROM persons, tickets, events WHERE persons.person_id = 'person-alice'"
          + " AND tickets.person_id = 'person-alice' AND events.person_id = 'person-alice'"),
      Map.entry("case", "SELECT CASE WHEN email LIKE 'alice%' THEN 'starts alice' WHEN email = 'alice@example.com'"
          + " THEN 'is alice' ELSE email END FROM persons WHERE person_id = 'person-alice'"),
      Map.entry("like probing", "SELECT person_id FROM persons WHERE email LIKE '%@example.com' OR email LIKE 'alice%'"
          + " OR phone LIKE '+44%' OR email LIKE '%@%'"),
      Map.entry("comparison probing", "SELECT person_id, email FROM persons WHERE email = 'alice@example.com'"
          + " OR (email >= 'alice' AND email < 'alicf') OR phone = '" + ALICE.phone() + "'"),
      Map.entry("group by", "SELECT email, COUNT(*) FROM persons GROUP BY email"),
      Map.entry("group by expression", "SELECT SUBSTRING(email, POSITION('@' IN email)), COUNT(*) FROM persons"
          + " GROUP BY SUBSTRING(email, POSITION('@' IN email))"),
      Map.entry("order by", "SELECT person_id, email FROM persons ORDER BY email, phone DESC"),
      Map.entry("join", "SELECT p.email, i.id_value, e.user_id, e.ip, o.customer_key FROM persons p"
          + " JOIN identities i ON i.person_id = p.person_id JOIN events e ON e.user_id = i.id_value"
          + " JOIN orders o ON o.person_id = p.person_id WHERE p.person_id = 'person-alice'"),
      Map.entry("subquery", "SELECT (SELECT MAX(email) FROM persons WHERE person_id = 'person-alice') AS m,"
          + " x.b FROM (SELECT body AS b FROM tickets WHERE person_id IN (SELECT person_id FROM persons"
          + " WHERE email <> '')) x"),
      Map.entry("union", "SELECT email FROM persons UNION SELECT body FROM tickets UNION ALL SELECT ip FROM events"
          + " UNION ALL SELECT id_value FROM identities UNION SELECT raw_payload FROM quarantine"),
      Map.entry("view", "SELECT distinct_id, anonymous_id, user_id, ip, user_agent, url, referrer, properties"
          + " FROM events_dedup WHERE person_id = 'person-alice'"),
      Map.entry("with view", "WITH v AS (SELECT email AS e, phone AS p FROM persons) SELECT e, p FROM v"),
      Map.entry("aggregates", "SELECT MIN(email), MAX(phone), LISTAGG(email, ','), ARRAY_AGG(body)"
          + " FROM persons, tickets WHERE persons.person_id = tickets.person_id"),
      Map.entry("silos", "SELECT t.requester, t.subject, s.recipient, r.recipient, c.id_value, q.detail, q.raw_payload,"
          + " l.customer_key FROM tickets t, campaign_sends s, campaign_responses r, consents c, quarantine q,"
          + " order_lines l WHERE t.person_id = 'person-alice' AND s.person_id = 'person-alice'"
          + " AND r.person_id = 'person-alice' AND c.person_id = 'person-alice' AND l.person_id = 'person-alice'"),
      Map.entry("maps and urls", "SELECT CAST(properties AS VARCHAR), url, referrer FROM events"
          + " WHERE person_id = 'person-alice'"),
      Map.entry("backslash literal", "SELECT email FROM persons WHERE email = 'x\\' OR email = ' UNION ALL SELECT"
          + " email FROM lode.persons -- '"),
      Map.entry("behavior function", "SELECT person_id FROM TABLE(funnel_people('page_view[user_id=alice-login],"
          + "add_to_cart', 3600, 2, 'reached', 'ordered', '2032-01-01 00:00:00', '2033-01-01 00:00:00'))"),
      Map.entry("profiles and crm", "SELECT p.ids, CAST(p.ids AS VARCHAR), c.customer_no, c.user_id, c.email_sha256,"
          + " l.id_value, l.other_value, m.link_id_value, m.other_id_value FROM profiles p, crm_contacts c,"
          + " identity_links l, identity_merges m WHERE p.person_id = 'person-alice' AND c.contact_id = 'crm-alice'"
          + " AND l.evidence = 'links.csv:7' AND m.into_person_id = 'person-alice'"),
      Map.entry("resolved views", "SELECT distinct_id, user_id, ip, user_agent FROM events_resolved"
          + " WHERE ingest_person_id = 'person-alice'"),
      Map.entry("metadata", "SELECT * FROM \"metadata\".COLUMNS WHERE tableName = 'persons'"));

  @Test
  void noQueryShapeRevealsARawValue() throws SQLException {
    List<String> leaks = new ArrayList<>();
    try (Connection c = SqlClient.connect(Role.ANALYST); Statement st = c.createStatement()) {
      for (Map.Entry<String, String> shape : SHAPES.entrySet()) {
        String text;
        try {
          text = SqlClient.rows(st, shape.getValue()).toString().toLowerCase(Locale.ROOT);
        } catch (SQLException e) {
          // an error is fine, as long as it quotes no raw value beyond the analyst's own statement
          text = String.valueOf(e.getMessage()).replace(shape.getValue(), "").toLowerCase(Locale.ROOT);
        }
        for (String raw : ALICE.rawValues()) {
          if (text.contains(raw.toLowerCase(Locale.ROOT))) {
            leaks.add(shape.getKey() + " revealed '" + raw + "'");
          }
        }
        assertFalse(text.contains("alice@"), shape.getKey() + " revealed the email: " + text);
      }
    }
    assertEquals(List.of(), leaks);
    assertTrue(SHAPES.size() >= 12);
  }

  @Test
  void predicateProbingFindsNothing() throws SQLException {
    try (Connection c = SqlClient.connect(Role.ANALYST); Statement st = c.createStatement()) {
      assertEquals(List.of(), SqlClient.rows(st, SHAPES.get("like probing")));
      assertEquals(List.of(), SqlClient.rows(st, SHAPES.get("comparison probing")));
      assertEquals(List.of(List.of(0L)), SqlClient.rows(st,
          "SELECT COUNT(*) FROM tickets WHERE body LIKE '%parcel%' OR subject LIKE '%example%'"));
      assertEquals(List.of(List.of(0L)), SqlClient.rows(st,
          "SELECT COUNT(*) FROM events WHERE ip = '" + ALICE.ip() + "' OR user_agent LIKE '%alice%'"
              + " OR url LIKE '%email=%' OR CAST(properties AS VARCHAR) LIKE '%example.com%'"));
      assertEquals(List.of(), SqlClient.rows(st, SHAPES.get("behavior function")));
      assertEquals(List.of(List.of(0L)), SqlClient.rows(st, "SELECT COUNT(*) FROM persons WHERE email = 'x\\'"));
    }
    try (Connection c = SqlClient.connect(Role.ANALYST);
         PreparedStatement ps = c.prepareStatement("SELECT person_id FROM persons WHERE email = ? OR phone = ?")) {
      ps.setString(1, ALICE.email());
      ps.setString(2, ALICE.phone());
      try (var rs = ps.executeQuery()) {
        assertFalse(rs.next(), "a bound parameter equal to the raw email found a row");
      }
    }
  }

  @Test
  void maskedValuesArePseudonymsThatStillJoin() throws SQLException {
    Pseudonym p = new Pseudonym(PrivacySettings.of(SqlClient.server().context().config()).salt());
    try (Connection c = SqlClient.connect(Role.ANALYST); Statement st = c.createStatement()) {
      assertEquals(List.of(List.of(p.of(ALICE.email()), p.of(ALICE.phone()), "UK")), SqlClient.rows(st,
          "SELECT email, phone, country FROM persons WHERE person_id = 'person-alice'"));
      // the same id hashes the same in every table, so analysts can still link silos
      assertEquals(List.of(List.of(2L)), SqlClient.rows(st, "SELECT COUNT(*) FROM events e JOIN identities i"
          + " ON i.id_value = e.distinct_id WHERE i.person_id = 'person-alice'"));
      assertEquals(List.of(List.of("https://shop.example/welcome", p.of(ALICE.email()), "gold")), SqlClient.rows(st,
          "SELECT url, properties['email'], properties['plan'] FROM events WHERE event_id = 'alice-e1'"));
    }
  }

  @Test
  void errorsNeverRevealTheSalt() throws SQLException {
    String salt = PrivacySettings.of(SqlClient.server().context().config()).salt();
    int failed = 0;
    try (Connection c = SqlClient.connect(Role.ANALYST); Statement st = c.createStatement()) {
      for (String sql : List.of("SELECT CAST(email AS INTEGER) FROM persons",
          "SELECT CAST(phone AS DATE) FROM persons WHERE person_id = 'person-alice'",
          "SELECT CAST(SUBSTRING(ip, 1, 3) AS DOUBLE) FROM events WHERE person_id = 'person-alice'",
          "SELECT * FROM persons WHERE CAST(email AS BIGINT) > 0",
          "SELECT CAST(body AS TIMESTAMP) FROM tickets")) {
        try {
          SqlClient.rows(st, sql);
        } catch (SQLException e) {
          failed++;
          StringBuilder all = new StringBuilder();
          for (Throwable t = e; t != null; t = t.getCause()) {
            all.append(t).append('\n');
          }
          assertFalse(all.toString().contains(salt.substring(0, 12)), sql + " revealed the salt: " + all);
        }
      }
    }
    assertTrue(failed >= 3, "the error paths were not exercised");
  }

  @Test
  void adminsSeeRawValues() throws SQLException {
    try (Connection c = SqlClient.connect(Role.ADMIN); Statement st = c.createStatement()) {
      assertEquals(List.of(List.of(ALICE.email(), ALICE.phone())), SqlClient.rows(st,
          "SELECT email, phone FROM persons WHERE email = 'alice@example.com'"));
    }
  }

  @Test
  void analystsAndViewersCannotReachAuditOrRawSchemas() throws SQLException {
    for (Role role : List.of(Role.ANALYST, Role.VIEWER)) {
      try (Connection c = SqlClient.connect(role); Statement st = c.createStatement()) {
        for (String sql : List.of("SELECT * FROM audit.queries", "SELECT * FROM audit_queries",
            "SELECT * FROM lode.audit_queries", "SELECT * FROM suppressed_ids", "SELECT * FROM erasures")) {
          assertThrows(SQLException.class, () -> SqlClient.rows(st, sql), role + ": " + sql);
        }
      }
    }
  }

  @Test
  void viewersSeeOnlyAggregates() throws SQLException {
    try (Connection c = SqlClient.connect(Role.VIEWER); Statement st = c.createStatement()) {
      for (String table : List.of("persons", "events", "tickets", "identities", "events_dedup", "quarantine")) {
        SQLException e = assertThrows(SQLException.class, () -> SqlClient.rows(st, "SELECT * FROM " + table));
        assertTrue(e.getMessage().contains("not found"), e.getMessage());
      }
      assertThrows(SQLException.class, () -> SqlClient.rows(st, "SELECT * FROM TABLE(funnel_people('page_view,"
          + "add_to_cart', 3600, 2, 'reached', 'ordered', '2032-01-01 00:00:00', '2033-01-01 00:00:00'))"));
      String call = "SELECT step, persons FROM TABLE(funnel('page_view,add_to_cart',"
          + " 3600, 'ordered', '2032-03-01 00:00:00', '2032-03-31 00:00:00')) ORDER BY step";
      // viewers get the admin's rows less those counted over 1 to min-group-size - 1 persons
      List<List<Object>> all = SqlClient.rows(call);
      assertEquals(2, all.size());
      assertTrue(((Number) all.get(0).get(1)).longValue() >= 1, all.toString());
      List<List<Object>> floored = all.stream().filter(r -> {
        long n = ((Number) r.get(1)).longValue();
        return n == 0 || n >= 5;
      }).toList();
      assertEquals(floored, SqlClient.rows(st, call));
    }
  }
}
