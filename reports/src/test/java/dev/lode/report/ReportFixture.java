package dev.lode.report;

import dev.lode.warehouse.Warehouse;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Deterministic demo-like data for the report tests, in March 2031 (a period no other
 * test writes to), kept as Java records too so tests can compute the expected numbers
 * independently of the report SQL. Ids carry an {@code fx-} prefix.
 */
final class ReportFixture {
  static final LocalDate WEEK = LocalDate.of(2031, 3, 3); // a Monday
  static final LocalDate WEEK_END = WEEK.plusDays(6);
  static final LocalDateTime C1_SENT = LocalDateTime.of(2031, 3, 5, 9, 0);
  static final LocalDateTime C2_SENT = LocalDateTime.of(2031, 3, 6, 9, 0);
  static final LocalDate TAG_AS_OF = LocalDate.of(2031, 3, 10);

  record Event(String id, LocalDateTime time, LocalDateTime received, String distinctId, String personId, String type,
               String name, String session) {
  }

  record Order(String id, String customerKey, String personId, LocalDateTime time, String status, BigDecimal total) {
  }

  record Send(String campaign, String sendId, String personId, LocalDateTime sentAt) {
  }

  record Response(String campaign, String sendId, String personId, String type, LocalDateTime at) {
  }

  record Ticket(String id, String personId, LocalDateTime opened) {
  }

  record TagValue(String tag, String personId, int version, String value, LocalDateTime computedAt,
                  LocalDateTime expiresAt) {
  }

  record Quarantined(LocalDateTime received, String source, String reason) {
  }

  final List<Event> events = new ArrayList<>();
  final List<Order> orders = new ArrayList<>();
  final List<Send> sends = new ArrayList<>();
  final List<Response> responses = new ArrayList<>();
  final List<Ticket> tickets = new ArrayList<>();
  final List<TagValue> tagValues = new ArrayList<>();
  final List<Quarantined> quarantine = new ArrayList<>();
  final List<String> persons = new ArrayList<>();

  private static ReportFixture loaded;

  /** The fixture, inserted into {@code w} once per JVM. */
  static synchronized ReportFixture load(Warehouse w) throws SQLException {
    if (loaded == null) {
      ReportFixture f = new ReportFixture();
      f.generate();
      f.insert(w);
      loaded = f;
    }
    return loaded;
  }

  private void generate() {
    Random r = new Random(8);
    int eventNo = 0;
    int orderNo = 0;
    for (int p = 1; p <= 40; p++) {
      String person = String.format("fx-p%03d", p);
      persons.add(person);
      if (p <= 20) { // history before the week: these recipients count as browsers for the campaigns
        LocalDateTime t = LocalDateTime.of(2031, 2, 20, 12, p);
        events.add(new Event("fx-e" + (eventNo++), t, t.plusSeconds(2), person, person, "page", "page_view", "fx-h-" + p));
      }
      for (int d = 0; d < 7; d++) {
        if (r.nextDouble() > 0.4) {
          continue;
        }
        String session = "fx-s-" + p + "-" + d;
        LocalDateTime t = WEEK.plusDays(d).atTime(7, 0).plusMinutes(r.nextInt(600));
        List<String> steps = new ArrayList<>(List.of("page_view"));
        if (r.nextDouble() < 0.8) {
          steps.add("product_view");
          if (r.nextDouble() < 0.6) {
            steps.add("add_to_cart");
            if (r.nextDouble() < 0.7) {
              steps.add("checkout");
              if (r.nextDouble() < 0.7) {
                steps.add("purchase");
              }
            }
          }
        }
        for (String step : steps) {
          t = t.plusMinutes(1 + r.nextInt(10)).plusSeconds(r.nextInt(60));
          boolean late = r.nextDouble() < 0.05;
          events.add(new Event("fx-e" + (eventNo++), t, late ? t.plusDays(2) : t.plusSeconds(2), person, person,
              step.equals("page_view") ? "page" : "track", step, session));
          if (step.equals("purchase")) {
            orders.add(new Order("fx-o" + (orderNo++), "fx-k" + p, person, t, "completed", money(r)));
          }
        }
        if (r.nextDouble() < 0.35) { // a second, browsing-only visit the same day
          LocalDateTime later = t.plusHours(2);
          events.add(new Event("fx-e" + (eventNo++), later, later.plusSeconds(2), person, person, "page", "page_view",
              session + "-b"));
        }
        if (r.nextDouble() < 0.3) { // identify calls are not behavior
          events.add(new Event("fx-e" + (eventNo++), t.plusSeconds(5), t.plusSeconds(6), person, person, "identify", "",
              session));
        }
        if (r.nextDouble() < 0.1) {
          orders.add(new Order("fx-o" + (orderNo++), "fx-k" + p, person, t.plusMinutes(3), "cancelled", money(r)));
        }
      }
    }
    for (int a = 1; a <= 8; a++) { // anonymous visitors: no person resolved
      LocalDateTime t = WEEK.plusDays(a % 7).atTime(12, a);
      events.add(new Event("fx-e" + (eventNo++), t, t.plusSeconds(1), "fx-anon-" + a, "", "page", "page_view",
          "fx-as-" + a));
      events.add(new Event("fx-e" + (eventNo++), t.plusMinutes(2), t.plusMinutes(2).plusSeconds(1), "fx-anon-" + a, "",
          "track", "product_view", "fx-as-" + a));
    }
    for (int q = 1; q <= 8; q++) { // buyers Lode knows only from the sales system
      String person = String.format("fx-q%03d", q);
      persons.add(person);
      orders.add(new Order("fx-o" + (orderNo++), "fx-kq" + q, person, WEEK.plusDays(q % 7).atTime(15, q), "completed",
          money(r)));
    }
    for (int u = 1; u <= 3; u++) { // orders no person was resolved for
      orders.add(new Order("fx-o" + (orderNo++), "fx-ku" + u, "", WEEK.plusDays(u).atTime(16, u), "completed", money(r)));
    }
    // cohorts: customers known by customer number only, first orders Jan..Mar 2031, repeats until April
    for (int c = 1; c <= 30; c++) {
      int first = 1 + c % 3;
      for (int m = first; m <= 4; m++) {
        if (m == first || r.nextDouble() < 0.45) {
          orders.add(new Order("fx-o" + (orderNo++), "fx-r" + c, "", LocalDateTime.of(2031, m, 10 + c % 15, 10, 0),
              r.nextDouble() < 0.1 && m != first ? "cancelled" : "completed", money(r)));
        }
      }
    }
    int sendNo = 0;
    for (int p = 1; p <= 40; p++) {
      String person = String.format("fx-p%03d", p);
      if (p <= 30) {
        String id = "fx-send" + (sendNo++);
        sends.add(new Send("fx-c1", id, person, C1_SENT));
        double x = r.nextDouble();
        if (x < 0.4) {
          responses.add(new Response("fx-c1", id, person, "click", C1_SENT.plusHours(2)));
        } else if (x < 0.6) {
          responses.add(new Response("fx-c1", id, person, "open", C1_SENT.plusHours(1)));
        }
      }
      if (p >= 15) {
        String id = "fx-send" + (sendNo++);
        sends.add(new Send("fx-c2", id, person, C2_SENT));
        if (r.nextDouble() < 0.5) {
          responses.add(new Response("fx-c2", id, person, r.nextBoolean() ? "click" : "convert", C2_SENT.plusHours(3)));
        }
      }
    }
    for (int u = 1; u <= 4; u++) {
      sends.add(new Send("fx-c1", "fx-send" + (sendNo++), "", C1_SENT));
    }
    for (int i = 1; i <= 6; i++) {
      tickets.add(new Ticket("fx-t" + i, i <= 2 ? "" : String.format("fx-p%03d", i), WEEK.plusDays(i).atTime(11, 0)));
    }
    for (int p = 1; p <= 30; p++) {
      String person = String.format("fx-p%03d", p);
      int version = p <= 5 ? 1 : 2;
      LocalDateTime computed = p >= 27 ? LocalDateTime.of(2031, 1, 15, 3, 0) : LocalDateTime.of(2031, 3, 8, 3, 0);
      LocalDateTime expires = p >= 6 && p <= 8 ? LocalDateTime.of(2031, 3, 9, 0, 0) : null;
      tagValues.add(new TagValue("fx_price_sensitive", person, version, p % 3 == 0 ? "no" : "yes", computed, expires));
    }
    for (int p = 1; p <= 4; p++) {
      tagValues.add(new TagValue("fx_retired", String.format("fx-p%03d", p), 1, "x", LocalDateTime.of(2031, 3, 1, 0, 0),
          null));
    }
    for (int i = 0; i < 5; i++) {
      quarantine.add(new Quarantined(WEEK.plusDays(i).atTime(9, 0), "fx-web", i < 3 ? "bad_json" : "missing_id"));
    }
    quarantine.add(new Quarantined(WEEK.minusDays(3).atTime(9, 0), "fx-web", "bad_json")); // before the window
  }

  private static BigDecimal money(Random r) {
    return BigDecimal.valueOf(1000 + r.nextInt(19_000), 2);
  }

  // identity(?) keeps these inserts off clickhouse-jdbc's RowBinary fast path, which writes a column
  // subset into the table's leading columns by position (checked with clickhouse-jdbc 0.11.0)
  private void insert(Warehouse w) throws SQLException {
    try (Connection c = w.connect()) {
      try (PreparedStatement ps = c.prepareStatement("INSERT INTO events (event_id, event_time, received_time,"
          + " distinct_id, anonymous_id, user_id, person_id, event_type, event_name, session_id, source)"
          + " VALUES (identity(?), ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
        for (Event e : events) {
          ps.setString(1, e.id());
          ps.setObject(2, e.time());
          ps.setObject(3, e.received());
          ps.setString(4, e.distinctId());
          ps.setString(5, e.personId().isEmpty() ? e.distinctId() : "");
          ps.setString(6, e.personId());
          ps.setString(7, e.personId());
          ps.setString(8, e.type());
          ps.setString(9, e.name());
          ps.setString(10, e.session());
          ps.setString(11, "fixture");
          ps.addBatch();
        }
        ps.executeBatch();
      }
      try (PreparedStatement ps = c.prepareStatement("INSERT INTO orders (order_id, customer_key, person_id, order_time,"
          + " status, total, loaded_at) VALUES (identity(?), ?, ?, ?, ?, ?, ?)");
           PreparedStatement lines = c.prepareStatement("INSERT INTO order_lines (order_id, line_no, customer_key,"
               + " person_id, order_time, unit_price, status, loaded_at)"
               + " VALUES (identity(?), ?, ?, ?, ?, ?, ?, ?)")) {
        for (Order o : orders) {
          ps.setString(1, o.id());
          ps.setString(2, o.customerKey());
          ps.setString(3, o.personId());
          ps.setObject(4, o.time());
          ps.setString(5, o.status());
          ps.setBigDecimal(6, o.total());
          ps.setObject(7, o.time().plusHours(1));
          ps.addBatch();
          lines.setString(1, o.id());
          lines.setInt(2, 1);
          lines.setString(3, o.customerKey());
          lines.setString(4, o.personId());
          lines.setObject(5, o.time());
          lines.setBigDecimal(6, o.total());
          lines.setString(7, o.status());
          lines.setObject(8, o.time().plusHours(1));
          lines.addBatch();
        }
        ps.executeBatch();
        lines.executeBatch();
      }
      try (PreparedStatement ps = c.prepareStatement("INSERT INTO persons (person_id, created_at, updated_at, source,"
          + " is_deleted) VALUES (identity(?), ?, ?, ?, ?)")) {
        LocalDateTime t = LocalDateTime.of(2031, 1, 1, 0, 0);
        for (String p : persons) {
          ps.setString(1, p);
          ps.setObject(2, t);
          ps.setObject(3, t);
          ps.setString(4, "fixture");
          ps.setInt(5, 0);
          ps.addBatch();
        }
        ps.setString(1, "fx-deleted");
        ps.setObject(2, t);
        ps.setObject(3, t);
        ps.setString(4, "fixture");
        ps.setInt(5, 1);
        ps.addBatch();
        ps.executeBatch();
      }
      try (var st = c.createStatement()) {
        st.execute("INSERT INTO campaigns (campaign_id, name, channel, offer, starts_at, source, loaded_at) VALUES"
            + " ('fx-c1', 'March coupon', 'email', 'coupon_10', '2031-03-05 09:00:00', 'fixture', '2031-03-01 00:00:00'),"
            + " ('fx-c2', 'Free shipping week', 'email', 'free_shipping', '2031-03-06 09:00:00', 'fixture',"
            + " '2031-03-01 00:00:00')");
        st.execute("INSERT INTO tag_definitions (tag_id, version, name, kind, ttl_days, created_at, status) VALUES"
            + " ('fx_price_sensitive', 1, 'Price sensitive', 'rule', 30, '2031-01-01 00:00:00', 'active'),"
            + " ('fx_price_sensitive', 2, 'Price sensitive', 'rule', 30, '2031-02-01 00:00:00', 'active'),"
            + " ('fx_unused', 1, 'Never computed', 'rule', 0, '2031-01-01 00:00:00', 'active'),"
            + " ('fx_retired', 1, 'Retired tag', 'rule', 0, '2031-01-01 00:00:00', 'active'),"
            + " ('fx_retired', 2, 'Retired tag', 'rule', 0, '2031-02-01 00:00:00', 'retired')");
      }
      try (PreparedStatement ps = c.prepareStatement("INSERT INTO campaign_sends (campaign_id, send_id, recipient,"
          + " person_id, sent_at, loaded_at) VALUES (identity(?), ?, ?, ?, ?, ?)")) {
        for (Send s : sends) {
          ps.setString(1, s.campaign());
          ps.setString(2, s.sendId());
          ps.setString(3, "h-" + s.sendId());
          ps.setString(4, s.personId());
          ps.setObject(5, s.sentAt());
          ps.setObject(6, s.sentAt());
          ps.addBatch();
        }
        ps.executeBatch();
      }
      try (PreparedStatement ps = c.prepareStatement("INSERT INTO campaign_responses (campaign_id, send_id, recipient,"
          + " person_id, response_type, responded_at, loaded_at) VALUES (identity(?), ?, ?, ?, ?, ?, ?)")) {
        for (Response s : responses) {
          ps.setString(1, s.campaign());
          ps.setString(2, s.sendId());
          ps.setString(3, "h-" + s.sendId());
          ps.setString(4, s.personId());
          ps.setString(5, s.type());
          ps.setObject(6, s.at());
          ps.setObject(7, s.at());
          ps.addBatch();
        }
        ps.executeBatch();
      }
      try (PreparedStatement ps = c.prepareStatement("INSERT INTO tickets (ticket_id, requester, person_id, opened_at,"
          + " loaded_at) VALUES (identity(?), ?, ?, ?, ?)")) {
        for (Ticket t : tickets) {
          ps.setString(1, t.id());
          ps.setString(2, "req-" + t.id());
          ps.setString(3, t.personId());
          ps.setObject(4, t.opened());
          ps.setObject(5, t.opened().plusHours(1));
          ps.addBatch();
        }
        ps.executeBatch();
      }
      try (PreparedStatement ps = c.prepareStatement("INSERT INTO tag_values (tag_id, person_id, tag_version, value,"
          + " computed_at, expires_at) VALUES (identity(?), ?, ?, ?, ?, ?)")) {
        for (TagValue t : tagValues) {
          ps.setString(1, t.tag());
          ps.setString(2, t.personId());
          ps.setInt(3, t.version());
          ps.setString(4, t.value());
          ps.setObject(5, t.computedAt());
          ps.setObject(6, t.expiresAt());
          ps.addBatch();
        }
        ps.executeBatch();
      }
      try (PreparedStatement ps = c.prepareStatement("INSERT INTO quarantine (received_time, source, reason_code, detail,"
          + " raw_payload) VALUES (identity(?), ?, ?, ?, ?)")) {
        for (Quarantined q : quarantine) {
          ps.setObject(1, q.received());
          ps.setString(2, q.source());
          ps.setString(3, q.reason());
          ps.setString(4, "fixture");
          ps.setString(5, "{");
          ps.addBatch();
        }
        ps.executeBatch();
      }
    }
  }
}
