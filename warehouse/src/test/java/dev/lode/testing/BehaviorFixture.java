package dev.lode.testing;

import dev.lode.warehouse.SqlLiteral;
import dev.lode.warehouse.Warehouse;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * Writes small, hand-made behavior into the test warehouse: events, orders, tickets and
 * consent decisions for named persons, with times relative to a fixed "now" so tag and
 * profile results are deterministic. Each event id it writes is returned for assertions.
 */
public final class BehaviorFixture {
  private final Warehouse warehouse;
  private final Instant now;
  private final List<String> rows = new ArrayList<>();

  public BehaviorFixture(Warehouse warehouse, Instant now) {
    this.warehouse = warehouse;
    this.now = now;
  }

  /** One event {@code ago} before now in session {@code session}; returns its id. */
  public String event(String person, String name, String category, Duration ago, long dwellMs, String session) {
    return event(person, name, category, ago, dwellMs, session, "/p/" + category, "{}");
  }

  /** One event with a URL and properties given as a ClickHouse map literal, e.g. {@code {'discount':'10'}}. */
  public String event(String person, String name, String category, Duration ago, long dwellMs, String session,
                      String url, String propertiesMap) {
    String id = "ev-" + UUID.randomUUID();
    Instant t = now.minus(ago);
    boolean purchase = name.equals("purchase");
    rows.add("(" + String.join(", ", SqlLiteral.string(id), SqlLiteral.timestamp(t), "now64(3)",
        SqlLiteral.string(person), "''", SqlLiteral.string(person), SqlLiteral.string(person), "'track'",
        SqlLiteral.string(name), SqlLiteral.string(session), SqlLiteral.string(url), SqlLiteral.string("item-" + category),
        SqlLiteral.string(category), purchase ? "20" : "NULL", purchase ? "1" : "0", purchase ? "20" : "NULL",
        Long.toString(dwellMs), propertiesMap, "'fixture'") + ")");
    return id;
  }

  /** {@code n} product views of a category, one per day going back from {@code from}, each with the given dwell. */
  public List<String> views(String person, String category, int n, Duration from, long dwellMs) {
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      ids.add(event(person, "product_view", category, from.plusDays(i), dwellMs, person + "-s" + i));
    }
    return ids;
  }

  /** Writes the buffered events. */
  public void flush() throws SQLException {
    if (rows.isEmpty()) {
      return;
    }
    exec("INSERT INTO events (event_id, event_time, received_time, distinct_id, anonymous_id, user_id, person_id,"
        + " event_type, event_name, session_id, url, item_id, category, price, quantity, revenue, dwell_ms, properties,"
        + " source) VALUES " + String.join(", ", rows));
    rows.clear();
  }

  /** An order of {@code total} placed {@code ago} before now. */
  public void order(String person, Duration ago, double total) throws SQLException {
    Instant t = now.minus(ago);
    exec("INSERT INTO orders (order_id, customer_key, person_id, order_time, status, total, currency, country, channel,"
        + " source, loaded_at) VALUES (" + SqlLiteral.string("o-" + UUID.randomUUID()) + ", '', " + SqlLiteral.string(person)
        + ", " + SqlLiteral.timestamp(t) + ", 'completed', " + total + ", 'EUR', '', 'web', 'fixture', now64(3))");
  }

  /** A support ticket opened {@code ago} before now. */
  public void ticket(String person, String type, Duration ago) throws SQLException {
    exec("INSERT INTO tickets (ticket_id, requester, requester_type, person_id, item_id, order_id, opened_at, ticket_type,"
        + " channel, sentiment, severity, status, subject, body, source, loaded_at) VALUES ("
        + SqlLiteral.string("t-" + UUID.randomUUID()) + ", '', '', " + SqlLiteral.string(person) + ", '', '', "
        + SqlLiteral.timestamp(now.minus(ago)) + ", " + SqlLiteral.string(type) + ", 'email', -0.5, 3, 'open', 's', 'b',"
        + " 'fixture', now64(3))");
  }

  /** A catalog item in stock (9), neither consumable nor seasonal. */
  public void item(String itemId, String title, String category, double price) throws SQLException {
    exec("INSERT INTO items (item_id, title, category, price, stock, consumable, seasons, source, loaded_at) VALUES ("
        + SqlLiteral.string(itemId) + ", " + SqlLiteral.string(title) + ", " + SqlLiteral.string(category) + ", "
        + SqlLiteral.number(price) + ", 9, 0, [], 't', now64(3))");
  }

  /**
   * {@code customers} customers ({@code prefix}-c1, -c2, …, each their own person) who each bought
   * every one of {@code items} together, one completed order ({@code prefix}-o1, …) a day, at noon
   * UTC from {@code firstDay} on: the co-purchases a basket recommendation is made of.
   */
  public void boughtTogether(String prefix, int customers, LocalDate firstDay, List<String> items)
      throws SQLException {
    List<String> lines = new ArrayList<>();
    for (int i = 1; i <= customers; i++) {
      String customer = SqlLiteral.string(prefix + "-c" + i);
      Instant at = firstDay.plusDays(i - 1L).atTime(12, 0).toInstant(ZoneOffset.UTC);
      for (int line = 1; line <= items.size(); line++) {
        lines.add("(" + String.join(", ", SqlLiteral.string(prefix + "-o" + i), Integer.toString(line), customer,
            customer, SqlLiteral.timestamp(at), SqlLiteral.string(items.get(line - 1)), "1", "1", "'completed'", "'t'",
            "now64(3)") + ")");
      }
    }
    exec("INSERT INTO order_lines (order_id, line_no, customer_key, person_id, order_time, item_id, quantity,"
        + " unit_price, status, source, loaded_at) VALUES " + String.join(", ", lines));
  }

  /** A consent decision for {@code purpose} recorded at {@code at} under the person's user id. */
  public void consent(String person, String purpose, boolean granted, Instant at) throws SQLException {
    exec("INSERT INTO consents (id_type, id_value, person_id, purpose, granted, recorded_at, source) VALUES ('user_id', "
        + SqlLiteral.string(person) + ", " + SqlLiteral.string(person) + ", " + SqlLiteral.string(purpose) + ", "
        + (granted ? 1 : 0) + ", " + SqlLiteral.timestamp(at) + ", 'fixture')");
  }

  public void exec(String sql) throws SQLException {
    try (Connection c = warehouse.connect(); Statement st = c.createStatement()) {
      st.execute(sql);
    }
  }

  public Instant now() {
    return now;
  }
}
