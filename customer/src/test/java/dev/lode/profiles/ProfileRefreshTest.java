package dev.lode.profiles;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lode.testing.BehaviorFixture;
import dev.lode.testing.TestWarehouse;
import dev.lode.warehouse.Warehouse;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The profile refresh against the real engine: decayed interest, silo columns, incremental runs. */
class ProfileRefreshTest {
  static final Instant NOW = Instant.parse("2026-06-30T12:00:00Z");
  private static Warehouse w;

  @BeforeAll
  static void data() throws SQLException {
    w = TestWarehouse.get();
    BehaviorFixture f = new BehaviorFixture(w, NOW);
    // weeks of sports, then three days of photography
    f.views("int-a", "sports", 20, Duration.ofDays(10), 60_000);
    for (int i = 0; i < 6; i++) {
      f.event("int-a", "product_view", "photography", Duration.ofHours(6 + 10 * i), 60_000, "int-a-new" + i);
    }
    // a shopper touching every silo
    f.event("prof-b", "page_view", "", Duration.ofDays(3), 20_000, "prof-b-1");
    f.event("prof-b", "product_view", "shoes", Duration.ofDays(3).minusMinutes(1), 40_000, "prof-b-1", "/sale/shoes",
        "{'discount':'20'}");
    f.event("prof-b", "add_to_cart", "shoes", Duration.ofDays(3).minusMinutes(2), 0, "prof-b-1");
    f.event("prof-b", "product_view", "shoes", Duration.ofDays(1), 30_000, "prof-b-2");
    f.event("prof-b", "add_to_cart", "shoes", Duration.ofDays(1).minusMinutes(1), 0, "prof-b-2");
    f.event("prof-b", "purchase", "shoes", Duration.ofDays(1).minusMinutes(2), 0, "prof-b-2");
    f.flush();
    f.order("prof-b", Duration.ofDays(1), 50.0);
    f.order("prof-b", Duration.ofDays(40), 30.0);
    f.ticket("prof-b", "question", Duration.ofDays(20));
    f.ticket("prof-b", "complaint", Duration.ofDays(2));
    f.consent("prof-b", "marketing", true, NOW.minus(Duration.ofDays(100)));
  }

  @Test
  void interestFollowsAShiftInBrowsing() throws SQLException {
    ProfileRefresher week = new ProfileRefresher(w, new ProfileSettings(7, 2000));
    week.refreshAll(NOW.minus(Duration.ofDays(4)));
    assertEquals("sports", profile("int-a").get("top_category"), "before the shift");
    week.refreshAll(NOW);
    assertEquals("photography", profile("int-a").get("top_category"), "three days of photography outweigh older sports");
    assertEquals("['photography','sports']", profile("int-a").get("top_categories"));
    // the same data with a year-long half-life still says sports: the decay is what moves it
    new ProfileRefresher(w, new ProfileSettings(365, 2000)).refreshAll(NOW);
    assertEquals("sports", profile("int-a").get("top_category"));
  }

  @Test
  void botSessionsAreLeftOutOfProfiles() throws SQLException {
    // one person, one human session (two page views) and one crawler session (five) under the same id
    StringBuilder v = new StringBuilder();
    for (int i = 0; i < 7; i++) {
      boolean bot = i >= 2;
      Instant t = NOW.minus(Duration.ofDays(bot ? 1 : 2)).plusSeconds(30L * i);
      v.append(i == 0 ? "" : ", ").append("('bot-e").append(i).append("', ").append(dev.lode.warehouse.SqlLiteral
          .timestamp(t)).append(", now64(3), 'bot-p', 'bot-p', '', 'bot-p', 'page', 'page_view', '")
          .append(bot ? "bot-crawl" : "bot-human").append("', '")
          .append(bot ? "Googlebot/2.1 (+http://www.google.com/bot.html)" : "Mozilla/5.0 (X11; Linux x86_64) Firefox/140.0")
          .append("', 20000, 'test')");
    }
    try (Connection c = w.connect(); Statement st = c.createStatement()) {
      st.execute("INSERT INTO events (event_id, event_time, received_time, distinct_id, anonymous_id, user_id, person_id,"
          + " event_type, event_name, session_id, user_agent, dwell_ms, source) VALUES " + v);
    }
    new ProfileRefresher(w, new ProfileSettings(7, 2000)).refreshAll(NOW);
    Map<String, String> p = profile("bot-p");
    assertEquals("2", p.get("page_views"), "the crawler's five pages are not the person's");
    assertEquals("1", p.get("sessions"));
    try (Connection c = w.connect(); Statement st = c.createStatement();
         ResultSet rs = st.executeQuery("SELECT session_id, reason FROM bot_sessions FINAL WHERE is_bot = 1"
             + " AND session_id LIKE 'bot-%'")) {
      assertTrue(rs.next());
      assertEquals("bot-crawl user_agent", rs.getString(1) + " " + rs.getString(2));
      assertTrue(!rs.next(), "the human session is not flagged");
    }
  }

  @Test
  void profileSummarizesBehaviorAndSilos() throws SQLException {
    new ProfileRefresher(w, new ProfileSettings(7, 2000)).refreshAll(NOW);
    Map<String, String> p = profile("prof-b");
    assertEquals("6", p.get("events"));
    assertEquals("2", p.get("sessions"));
    assertEquals("3", p.get("page_views"));
    assertEquals("30000.0", p.get("avg_dwell_ms"));
    assertEquals("2", p.get("carts"));
    assertEquals("1", p.get("abandoned_carts"), "the first session carted and left");
    assertEquals("2", p.get("orders"), "orders come from the orders table when it has rows");
    assertEquals("1", p.get("orders_30d"));
    assertEquals("80", p.get("revenue").replaceAll("\\.0+$", ""));
    assertEquals("0.5", p.get("discount_view_share"), "one of two product views was on sale");
    assertEquals("2", p.get("tickets"));
    assertEquals("1", p.get("complaints"));
    assertEquals("complaint", p.get("last_ticket_type"));
    assertEquals("granted", p.get("consent_marketing"));
    assertEquals("unknown", p.get("consent_profiling"));
    assertEquals("shoes", p.get("top_category"));
    assertTrue(Integer.parseInt(p.get("r_score")) >= 1 && p.get("rfm").length() == 3, p.toString());
  }

  @Test
  void incrementalRefreshRewritesOnlyTouchedPersons() throws SQLException {
    ProfileRefresher r = new ProfileRefresher(w, new ProfileSettings(7, 2000));
    r.refreshAll(NOW);
    String bBefore = profile("prof-b").get("computed_at");
    String aBefore = profile("int-a").get("events");
    BehaviorFixture f = new BehaviorFixture(w, NOW);
    f.event("int-a", "page_view", "photography", Duration.ofHours(1), 10_000, "int-a-late");
    f.flush();
    ProfileRefresher.Result res = r.refreshChanged(NOW);
    assertEquals("incremental", res.mode());
    assertEquals(Integer.parseInt(aBefore) + 1, Integer.parseInt(profile("int-a").get("events")));
    assertEquals(bBefore, profile("prof-b").get("computed_at"), "untouched person keeps its row");
    assertTrue(res.persons() < count("SELECT count() FROM profiles"), "fewer persons than a full refresh");
  }

  static Map<String, String> profile(String person) throws SQLException {
    Map<String, String> out = new LinkedHashMap<>();
    try (Connection c = w.connect(); Statement st = c.createStatement();
         ResultSet rs = st.executeQuery("SELECT * EXCEPT (top_categories), toString(top_categories) AS top_categories"
             + " FROM profiles WHERE person_id = '" + person + "'")) {
      assertTrue(rs.next(), "profile of " + person);
      for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
        out.put(rs.getMetaData().getColumnLabel(i), rs.getString(i));
      }
    }
    return out;
  }

  static long count(String sql) throws SQLException {
    try (Connection c = w.connect(); Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    }
  }
}
