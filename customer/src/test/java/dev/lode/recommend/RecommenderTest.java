package dev.lode.recommend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lode.testing.TestWarehouse;
import dev.lode.warehouse.Warehouse;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * recommend() and similar_items() on a small shop in the real engine: co-purchases make
 * neighbours, tickets exclude, consent gates personal sources, the calendar and region
 * drive cold-start results, and a new event changes results at once.
 */
class RecommenderTest {
  private static Warehouse warehouse;
  private static Recommender recommender;

  @BeforeAll
  static void shop() throws Exception {
    warehouse = TestWarehouse.isolated("recs");
    try (Connection c = warehouse.connect(); Statement st = c.createStatement()) {
      st.execute("INSERT INTO items (item_id, title, category, price, stock, consumable, seasons, source, loaded_at) VALUES"
          + " ('rt-a', 'teapot', 'kitchen', 10, 50, 0, [], 't', now64(3)),"
          + " ('rt-b', 'tea cups', 'kitchen', 5, 50, 0, [], 't', now64(3)),"
          + " ('rt-c', 'tea towel', 'kitchen', 3, 50, 0, [], 't', now64(3)),"
          + " ('rt-oos', 'sugar bowl', 'kitchen', 4, 0, 0, [], 't', now64(3)),"
          + " ('rt-tea', 'tea leaves', 'grocery', 6, 50, 1, [], 't', now64(3)),"
          + " ('rt-h', 'hat', 'clothing', 20, 50, 0, [], 't', now64(3)),"
          + " ('rt-lantern', 'red lantern', 'decor', 8, 50, 0, ['spring_festival'], 't', now64(3)),"
          + " ('rt-mold', 'dumpling mold', 'kitchen', 7, 50, 0, ['spring_festival'], 't', now64(3)),"
          + " ('rt-xmas', 'christmas bauble', 'decor', 2, 50, 0, ['christmas'], 't', now64(3))");
      StringBuilder lines = new StringBuilder();
      StringBuilder orders = new StringBuilder();
      // ten UK customers buy a teapot with cups (and a towel or an out-of-stock bowl, sometimes tea)
      for (int i = 1; i <= 10; i++) {
        String p = "rt-c" + i;
        String t = "2026-0" + (1 + i % 8) + "-1" + (i % 9) + " 10:00:00";
        order(lines, orders, "rt-o" + i, p, t, "United Kingdom", "rt-a", "rt-b", i % 2 == 0 ? "rt-c" : "rt-oos",
            i % 3 == 0 ? "rt-tea" : "rt-b");
      }
      // Chinese customers buy lanterns at Spring Festival 2026, UK customers baubles at Christmas 2025
      for (int i = 1; i <= 5; i++) {
        order(lines, orders, "rt-cn" + i, "rt-cnp" + i, "2026-02-1" + i + " 09:00:00", "China", "rt-lantern");
        order(lines, orders, "rt-uk" + i, "rt-ukp" + i, "2025-12-1" + i + " 09:00:00", "United Kingdom", "rt-xmas");
      }
      // the people the tests recommend for: each bought a teapot
      for (String p : List.of("rt-p", "rt-nc", "rt-f", "rt-r")) {
        order(lines, orders, "rt-o-" + p, p, "2026-10-01 12:00:00", "United Kingdom", "rt-a", "rt-tea");
      }
      st.execute("INSERT INTO order_lines (order_id, line_no, customer_key, person_id, order_time, item_id, quantity,"
          + " unit_price, status, source, loaded_at) VALUES " + lines.substring(1));
      st.execute("INSERT INTO orders (order_id, customer_key, person_id, order_time, status, total, currency, country,"
          + " channel, source, loaded_at) VALUES " + orders.substring(1));
      st.execute("INSERT INTO persons (person_id, created_at, updated_at, country, source) VALUES"
          + " ('rt-p', now64(3), now64(3), 'United Kingdom', 't'), ('rt-nc', now64(3), now64(3), 'United Kingdom', 't'),"
          + " ('rt-f', now64(3), now64(3), 'United Kingdom', 't'), ('rt-r', now64(3), now64(3), 'United Kingdom', 't')");
      st.execute("INSERT INTO consents (id_type, id_value, person_id, purpose, granted, recorded_at, source) VALUES"
          + " ('user_id', 'rt-p', 'rt-p', 'personalization', 1, now64(3), 't'),"
          + " ('user_id', 'rt-f', 'rt-f', 'personalization', 1, now64(3), 't'),"
          + " ('user_id', 'rt-r', 'rt-r', 'personalization', 1, now64(3), 't')");
    }
    // the co-occurrence sources are what this shop tests (their reasons, exclusions, consent); the trained
    // ease source, which ties with basket on so small a shop, has EaseModelTest
    RecommendSettings settings = RecommendSettings.from(TestWarehouse.config().with("lode.recommend.weight.ease", "0"));
    new ModelBuilder(warehouse, settings).build(Recommender.LIVE, Instant.now(), true);
    recommender = new Recommender(warehouse, settings);
  }

  private static void order(StringBuilder lines, StringBuilder orders, String order, String person, String time,
                            String country, String... items) {
    for (int i = 0; i < items.length; i++) {
      lines.append(",('").append(order).append("', ").append(i + 1).append(", '").append(person).append("', '")
          .append(person).append("', toDateTime64('").append(time).append("', 3, 'UTC'), '").append(items[i])
          .append("', 1, 1, 'completed', 't', now64(3))");
    }
    orders.append(",('").append(order).append("', '").append(person).append("', '").append(person)
        .append("', toDateTime64('").append(time).append("', 3, 'UTC'), 'completed', 1, 'GBP', '").append(country)
        .append("', 'web', 't', now64(3))");
  }

  private static List<String> items(List<Recommendation> recs) {
    return recs.stream().map(Recommendation::itemId).toList();
  }

  private static Map<String, String> sources(List<Recommendation> recs) {
    return recs.stream().collect(Collectors.toMap(Recommendation::itemId, Recommendation::source));
  }

  @Test
  void coPurchasesRecommendWithoutBoughtOrOutOfStockItems() throws SQLException {
    List<Recommendation> recs = recommender.recommend("rt-p", 5, RecContext.NONE);
    List<String> ids = items(recs);
    assertEquals("rt-b", ids.get(0), "cups are bought with every teapot: " + recs);
    assertEquals("basket", recs.get(0).source());
    assertTrue(recs.get(0).reason().contains("bought together with rt-a"), recs.get(0).reason());
    assertFalse(ids.contains("rt-a"), "already bought and not consumable: " + recs);
    assertFalse(ids.contains("rt-oos"), "out of stock: " + recs);
    assertTrue(ids.contains("rt-tea"), "tea is consumable, so bought before is no reason to drop it: " + recs);
    for (int i = 0; i < recs.size(); i++) {
      assertEquals(i + 1, recs.get(i).rank());
      assertTrue(i == 0 || recs.get(i - 1).score() >= recs.get(i).score());
    }
  }

  @Test
  void complaintExcludesTheItemAtOnce() throws SQLException {
    assertTrue(items(recommender.recommend("rt-r", 10, RecContext.NONE)).contains("rt-b"));
    try (Connection c = warehouse.connect(); Statement st = c.createStatement()) {
      st.execute("INSERT INTO tickets (ticket_id, person_id, item_id, order_id, opened_at, ticket_type, channel, sentiment,"
          + " severity, status, subject, source, loaded_at) VALUES ('rt-t1', 'rt-r', 'rt-b', '', now64(3) - 1, 'complaint',"
          + " 'email', -0.8, 3, 'open', 'cups arrived broken', 't', now64(3))");
    }
    List<Recommendation> after = recommender.recommend("rt-r", 10, RecContext.NONE);
    assertFalse(items(after).contains("rt-b"), "complained-about item still recommended: " + after);
    assertTrue(items(after).contains("rt-c"), "other co-purchases stay: " + after);
  }

  @Test
  void withoutConsentOnlyContextSources() throws SQLException {
    List<Recommendation> recs = recommender.recommend("rt-nc", 10, RecContext.NONE);
    assertFalse(recs.isEmpty(), "context-only results are still results");
    Set<String> personal = Set.of("basket", "session", "customer", "ease", "recent", "category");
    for (Recommendation r : recs) {
      assertFalse(personal.contains(r.source()), "personal source without consent: " + r);
    }
    // a revoked consent counts as none: the latest record wins
    try (Connection c = warehouse.connect(); Statement st = c.createStatement()) {
      st.execute("INSERT INTO consents (id_type, id_value, person_id, purpose, granted, recorded_at, source) VALUES"
          + " ('email_sha256', 'x', 'rt-nc', 'personalization', 1, now64(3) - 10, 't'),"
          + " ('user_id', 'rt-nc', 'rt-nc', 'personalization', 0, now64(3), 't')");
    }
    for (Recommendation r : recommender.recommend("rt-nc", 10, RecContext.NONE)) {
      assertFalse(personal.contains(r.source()), "personal source after revocation: " + r);
    }
  }

  @Test
  void coldStartFollowsSeasonAndRegion() throws SQLException {
    List<Recommendation> cn = recommender.recommend("rt-nobody", 3, RecContext.parse("region=China;date=2027-02-05"));
    assertEquals(Set.of("rt-lantern", "rt-mold"), Set.copyOf(items(cn).subList(0, 2)), "spring festival in China: " + cn);
    assertTrue(cn.stream().allMatch(r -> r.source().equals("seasonal") || r.source().equals("trending")), cn.toString());
    assertTrue(cn.get(0).reason().contains("spring_festival"), cn.get(0).reason());
    List<Recommendation> uk = recommender.recommend("rt-nobody", 3,
        RecContext.parse("region=United Kingdom;date=2026-12-10"));
    assertEquals("rt-xmas", uk.get(0).itemId(), "christmas in the UK: " + uk);
    assertFalse(items(uk).contains("rt-mold"), "no spring festival outside its season: " + uk);
    List<Recommendation> summer = recommender.recommend("rt-nobody", 5,
        RecContext.parse("region=United Kingdom;date=2027-07-01"));
    assertFalse(summer.isEmpty(), "a cold-start visitor in July still gets suggestions");
    assertFalse(items(summer).stream().limit(2).toList().contains("rt-xmas"), "no christmas in July: " + summer);
  }

  @Test
  void newViewChangesRecommendationsWithinFiveSeconds() throws SQLException, InterruptedException {
    assertFalse(items(recommender.recommend("rt-f", 10, RecContext.NONE)).contains("rt-h"));
    Instant viewed = Instant.now();
    try (Connection c = warehouse.connect(); Statement st = c.createStatement()) {
      st.execute("INSERT INTO events (event_id, event_time, received_time, distinct_id, user_id, person_id, event_type,"
          + " event_name, session_id, item_id, quantity, dwell_ms, source) VALUES ('rt-e1', now64(3) - 0.5, now64(3),"
          + " 'rt-f', 'rt-f', 'rt-f', 'track', 'product_view', 'rt-s1', 'rt-h', 0, 4000, 't')");
    }
    List<Recommendation> after = List.of();
    while (Instant.now().isBefore(viewed.plusSeconds(5))) {
      after = recommender.recommend("rt-f", 10, RecContext.NONE);
      if (items(after).contains("rt-h")) {
        break;
      }
      Thread.sleep(100);
    }
    long ms = ChronoUnit.MILLIS.between(viewed, Instant.now());
    assertTrue(items(after).contains("rt-h"), "the viewed hat did not show up within 5 s: " + after);
    assertEquals("recent", sources(after).get("rt-h"));
    assertTrue(ms <= 5000, "took " + ms + " ms");
  }

  @Test
  void batchFormAgreesWithThePersonForm() throws SQLException {
    // rec_eval scores the batch form; recommend() serves the person form: they must rank alike
    RecommendSettings settings = recommender.settings();
    Instant now = Instant.now();
    for (String person : List.of("rt-p", "rt-f")) {
      String batch = RecommendQuery.sql(SqlBinder.literals(), settings,
          new RecommendQuery.Persons("SELECT " + SqlBinder.quote(person) + " AS person_id"), Recommender.LIVE, now,
          RecContext.NONE, 8, true);
      String single = RecommendQuery.person(SqlBinder.literals(), settings, person, Recommender.LIVE, now,
          RecContext.NONE, 8, true);
      assertEquals(rows(single), rows(batch), person);
    }
  }

  private static List<String> rows(String sql) throws SQLException {
    List<String> out = new java.util.ArrayList<>();
    try (Connection c = warehouse.connect(); Statement st = c.createStatement();
         java.sql.ResultSet rs = st.executeQuery(sql)) {
      while (rs.next()) {
        out.add(rs.getString("item_id") + " " + String.format("%.6f", rs.getDouble("score")) + " " + rs.getInt("item_rank")
            + " " + rs.getString("source") + " " + rs.getString("reason"));
      }
    }
    return out;
  }

  @Test
  void similarItemsAndBadArguments() throws SQLException {
    List<Recommendation> sim = recommender.similarItems("rt-a", 3);
    assertEquals("rt-b", sim.get(0).itemId(), sim.toString());
    assertFalse(items(sim).contains("rt-oos"));
    assertTrue(sim.get(0).reason().matches("bought together in \\d+ orders"), sim.get(0).reason());
    assertThrows(IllegalArgumentException.class, () -> recommender.recommend("rt-p", 0, RecContext.NONE));
    assertThrows(IllegalArgumentException.class, () -> recommender.recommend(" ", 5, RecContext.NONE));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> RecContext.parse("colour=red"));
    assertTrue(e.getMessage().contains("colour"), e.getMessage());
    // hostile ids are data, not SQL
    assertTrue(recommender.recommend("x' OR 1=1 --", 5, RecContext.parse("region=a'b\\")).stream()
        .allMatch(r -> r.source().equals("seasonal") || r.source().equals("trending")));
    assertTrue(recommender.similarItems("rt-a' OR '1'='1", 5).isEmpty());
  }
}
