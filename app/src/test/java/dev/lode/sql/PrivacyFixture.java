package dev.lode.sql;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

/**
 * One person's data in every silo, inserted straight into the warehouse: events (ids, IP,
 * user agent, a URL and properties carrying the email), persons, identities, orders and
 * lines, a ticket whose body quotes the email and phone, campaign sends and responses,
 * consents, tag values and daily tag membership, a profile, a CRM contact, identity links and
 * merges, and a quarantined payload. Each test names its own person. The order is a cancelled
 * one: the report tests sharing this warehouse compute their figures from completed orders.
 */
record PrivacyFixture(String key, String email, String phone, String ip, String userAgent, String userId,
                      String anonymousId, String customerNo, String ticketBody, String personId) {

  static PrivacyFixture of(String key) {
    return new PrivacyFixture(key, key + "@example.com", "+44 7700 9001" + Math.abs(key.hashCode() % 100),
        "203.0.113." + (10 + Math.abs(key.hashCode() % 200)), "Mozilla/5.0 (" + key + "-browser)",
        key + "-login", "anon-" + key + "-cookie", "CUST-" + key.toUpperCase(java.util.Locale.ROOT),
        "Hi, this is " + key + ", my parcel never came. Call me on the phone number on file.", "person-" + key);
  }

  /** Every raw PII value of this person, and the unsalted email hash (reversible by guessing): none may reach an analyst. */
  List<String> rawValues() {
    return List.of(email, phone, ip, userAgent, userId, anonymousId, customerNo, ticketBody, emailSha256());
  }

  /** SHA-256 of the email, as loaders store it in {@code email_sha256} columns. */
  String emailSha256() {
    try {
      return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
          .digest(email.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  void insert(Connection warehouse) throws SQLException {
    String t = "'2032-03-04 05:06:07.000'";
    try (Statement st = warehouse.createStatement()) {
      st.execute("INSERT INTO events (event_id, event_time, received_time, distinct_id, anonymous_id, user_id, person_id,"
          + " event_type, event_name, url, referrer, page, user_agent, ip, properties, source) VALUES"
          + " ('" + key + "-e1', " + t + ", " + t + ", " + q(userId) + ", " + q(anonymousId) + ", " + q(userId) + ", "
          + q(personId) + ", 'page', 'page_view', " + q("https://shop.example/welcome?email=" + email) + ", "
          + q("https://mail.example/?to=" + email) + ", '/welcome', " + q(userAgent) + ", " + q(ip)
          + ", map('email', " + q(email) + ", 'plan', 'gold'), 'privacy-test'),"
          + " ('" + key + "-e2', " + t + ", " + t + ", " + q(anonymousId) + ", " + q(anonymousId) + ", '', "
          + q(personId) + ", 'track', 'add_to_cart', '', '', '/cart', " + q(userAgent) + ", " + q(ip)
          + ", map(), 'privacy-test')");
      st.execute("INSERT INTO persons (person_id, created_at, updated_at, email, phone, country, source) VALUES ("
          + q(personId) + ", " + t + ", " + t + ", " + q(email) + ", " + q(phone) + ", 'UK', 'crm')");
      st.execute("INSERT INTO identities (id_type, id_value, person_id, first_seen, updated_at, source, link_reason)"
          + " VALUES ('user_id', " + q(userId) + ", " + q(personId) + ", " + t + ", " + t + ", 'web', 'login'),"
          + " ('anonymous_id', " + q(anonymousId) + ", " + q(personId) + ", " + t + ", " + t + ", 'web', 'identify'),"
          + " ('customer_no', " + q(customerNo) + ", " + q(personId) + ", " + t + ", " + t + ", 'crm', 'crm_key'),"
          + " ('email_sha256', lower(hex(SHA256(" + q(email) + "))), " + q(personId) + ", " + t + ", " + t
          + ", 'crm', 'crm_key')");
      st.execute("INSERT INTO orders (order_id, customer_key, person_id, order_time, status, total, currency, source,"
          + " loaded_at) VALUES (" + q(key + "-o1") + ", " + q(customerNo) + ", " + q(personId) + ", " + t
          + ", 'cancelled', 42.5, 'GBP', 'sales', " + t + ")");
      st.execute("INSERT INTO order_lines (order_id, line_no, customer_key, person_id, order_time, item_id, quantity,"
          + " unit_price, status, source, loaded_at) VALUES (" + q(key + "-o1") + ", 1, " + q(customerNo) + ", "
          + q(personId) + ", " + t + ", 'item-1', 2, 21.25, 'cancelled', 'sales', " + t + ")");
      st.execute("INSERT INTO tickets (ticket_id, requester, requester_type, person_id, order_id, opened_at,"
          + " ticket_type, subject, body, source, loaded_at) VALUES (" + q(key + "-t1") + ", " + q(email)
          + ", 'email', " + q(personId) + ", " + q(key + "-o1") + ", " + t + ", 'delivery', "
          + q("Parcel for " + email) + ", " + q(ticketBody) + ", 'desk', " + t + ")");
      st.execute("INSERT INTO campaign_sends (campaign_id, send_id, recipient, recipient_type, person_id, channel,"
          + " sent_at, source, loaded_at) VALUES ('spring', " + q(key + "-s1") + ", " + q(email) + ", 'email', "
          + q(personId) + ", 'email', " + t + ", 'esp', " + t + ")");
      st.execute("INSERT INTO campaign_responses (campaign_id, send_id, recipient, recipient_type, person_id,"
          + " response_type, responded_at, source, loaded_at) VALUES ('spring', " + q(key + "-s1") + ", " + q(email)
          + ", 'email', " + q(personId) + ", 'click', " + t + ", 'esp', " + t + ")");
      st.execute("INSERT INTO consents (id_type, id_value, person_id, purpose, granted, recorded_at, source) VALUES"
          + " ('user_id', " + q(userId) + ", " + q(personId) + ", 'marketing', 1, " + t + ", 'web')");
      st.execute("INSERT INTO tag_values (tag_id, person_id, tag_version, value, score, computed_at, evidence) VALUES"
          + " ('loyal', " + q(personId) + ", 1, 'yes', 0.9, " + t + ", '{}')");
      st.execute("INSERT INTO crm_contacts (contact_id, customer_no, user_id, email_sha256, country, source, loaded_at)"
          + " VALUES (" + q("crm-" + key) + ", " + q(customerNo) + ", " + q(userId) + ", lower(hex(SHA256(" + q(email)
          + "))), 'UK', 'crm', " + t + ")");
      st.execute("INSERT INTO identity_links (id_type, id_value, other_type, other_value, linked_at, source, evidence,"
          + " loaded_at) VALUES ('customer_no', " + q(customerNo) + ", 'user_id', " + q(userId) + ", " + t
          + ", 'crm', 'links.csv:7', " + t + ")");
      st.execute("INSERT INTO identity_merges (merged_at, from_person_id, into_person_id, link_id_type, link_id_value,"
          + " other_id_type, other_id_value, source, evidence) VALUES (" + t + ", " + q(personId + "-old") + ", "
          + q(personId) + ", 'user_id', " + q(userId) + ", 'anonymous_id', " + q(anonymousId) + ", 'web', "
          + q(key + "-e1") + ")");
      st.execute("INSERT INTO profiles_store (person_id, ids, events, interest_as_of, computed_at) VALUES ("
          + q(personId) + ", [" + q("user_id:" + userId) + ", " + q("anonymous_id:" + anonymousId) + "], 2, " + t
          + ", " + t + ")");
      st.execute("INSERT INTO tag_membership_daily (tag_id, day, person_id, member, computed_at) VALUES ('loyal',"
          + " today(), " + q(personId) + ", 1, " + t + ")");
      st.execute("INSERT INTO quarantine (received_time, source, reason_code, detail, raw_payload, file, line) VALUES ("
          + t + ", 'web', 'bad_timestamp', " + q("event of " + userId + " has no timestamp") + ", "
          + q("{\"userId\":\"" + userId + "\",\"context\":{\"traits\":{\"email\":\"" + email + "\"}}}") + ", '', 0)");
    }
  }

  static String q(String s) {
    return "'" + s.replace("\\", "\\\\").replace("'", "\\'") + "'";
  }
}
