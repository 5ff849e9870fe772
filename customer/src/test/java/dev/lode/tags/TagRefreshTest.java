package dev.lode.tags;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lode.config.LodeConfig;
import dev.lode.profiles.ProfileRefresher;
import dev.lode.profiles.ProfileSettings;
import dev.lode.testing.BehaviorFixture;
import dev.lode.testing.TestWarehouse;
import dev.lode.warehouse.SqlLiteral;
import dev.lode.warehouse.Warehouse;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Tag refreshes against the real engine: who gets tagged, consent, refusal and explanations. */
class TagRefreshTest {
  static final Instant NOW = Instant.parse("2026-06-30T12:00:00Z");
  private static Warehouse w;
  private static TagService service;
  private static TagDefinition psb;
  private static List<String> psbAViews;

  @BeforeAll
  static void data() throws SQLException {
    w = TestWarehouse.get();
    service = new TagService(w, TagCatalog.load(LodeConfig.of(Map.of())), new ProfileSettings(7, 2000));
    psb = service.catalog().require("price_sensitive_browser");
    BehaviorFixture f = new BehaviorFixture(w, NOW);
    // a: 8 long looks at cameras over 8 days, never buys: the one to find
    psbAViews = f.views("psb-a", "cameras", 8, Duration.ofHours(2), 60_000);
    // b: same looks, but buys cameras 3 times
    f.views("psb-b", "cameras", 8, Duration.ofHours(2), 60_000);
    for (int i = 0; i < 3; i++) {
      f.event("psb-b", "purchase", "cameras", Duration.ofDays(i).plusHours(1), 0, "psb-b-buy" + i);
    }
    // c: many views, but glances (5 s)
    f.views("psb-c", "cameras", 8, Duration.ofHours(2), 5_000);
    // d: long looks, but only twice
    f.views("psb-d", "cameras", 2, Duration.ofHours(2), 60_000);
    // e: long looks, but two months ago
    f.views("psb-e", "cameras", 8, Duration.ofDays(60), 60_000);
    // consent: looks like a, then withdraws profiling consent
    f.views("cons-a", "lenses", 8, Duration.ofHours(2), 90_000);
    f.flush();
  }

  @Test
  void priceSensitiveBrowserFindsLongRepeatedViewsWithoutPurchases() throws SQLException {
    service.registry().register(psb);
    TagRefresher.Result r = new TagRefresher(w).refresh(psb, NOW);
    assertTrue(r.tagged() >= 1, "tagged " + r);
    Map<String, String> tagged = values("price_sensitive_browser", "psb-");
    assertEquals(Map.of("psb-a", "cameras"), tagged, "only the long, repeated, non-buying viewer");
  }

  @Test
  void anAdminsRetirementSurvivesTheCatalogSyncUntilEnabled() throws SQLException {
    String id = psb.id();
    service.registry().sync(service.catalog());
    service.registry().retire(id, "admin-test");
    assertEquals("retired", status(id));
    service.registry().sync(service.catalog());
    assertEquals("retired", status(id), "the catalog sync keeps an admin's retirement");
    assertTrue(service.registry().retiredByAdmin().contains(id));
    assertTrue(service.refresh(NOW, List.of(id), false, false).tags().isEmpty(), "a refresh skips the retired tag");
    service.registry().enable(id);
    assertEquals("active", status(id));
    assertFalse(service.registry().retiredByAdmin().contains(id));
    service.registry().sync(service.catalog());
    assertEquals("active", status(id));
    assertThrows(IllegalArgumentException.class, () -> service.registry().retire("no_such_tag", "admin-test"));
  }

  private static String status(String id) throws SQLException {
    try (Connection c = w.connect(); Statement st = c.createStatement();
         ResultSet rs = st.executeQuery("SELECT argMax(status, version) FROM tag_definitions FINAL WHERE tag_id = '"
             + id + "'")) {
      rs.next();
      return rs.getString(1);
    }
  }

  @Test
  void explainCitesEventsThatExist() throws SQLException {
    service.registry().register(psb);
    new TagRefresher(w).refresh(psb, NOW);
    List<TagExplanation.Row> rows = TagExplanation.explain(w, "psb-a", "price_sensitive_browser");
    assertEquals("value", rows.get(0).item());
    assertEquals("cameras", rows.get(0).name());
    Map<String, Double> counts = new TreeMap<>();
    Set<String> cited = new HashSet<>();
    for (TagExplanation.Row row : rows) {
      if (row.item().equals("count")) {
        counts.put(row.name(), row.amount());
      } else if (row.item().equals("example_event")) {
        assertTrue(row.eventFound(), "cited event " + row.name() + " is in events");
        assertEquals("product_view", row.eventName());
        assertEquals("cameras", row.category());
        cited.add(row.name());
      }
    }
    assertEquals(8.0, counts.get("views"));
    assertEquals(0.0, counts.get("purchases"));
    assertEquals(60.0, counts.get("avg_dwell_s"));
    assertEquals(5, cited.size(), "five most recent views cited");
    assertTrue(psbAViews.containsAll(cited), "cited ids are psb-a's own views");
    // and independently of the explanation query: the rows exist in the events table
    assertEquals(5L, scalar("SELECT count() FROM events WHERE person_id = 'psb-a' AND event_id IN ("
        + String.join(", ", cited.stream().map(SqlLiteral::string).toList()) + ")"));
    assertTrue(TagExplanation.explain(w, "psb-b", "price_sensitive_browser").isEmpty(), "no value, nothing to explain");
    assertThrows(IllegalArgumentException.class, () -> TagExplanation.sql("", "price_sensitive_browser"));
  }

  @Test
  void withdrawnConsentRemovesTagsWithinOneRefresh() throws SQLException {
    service.registry().register(psb);
    TagService.Cycle first = service.refresh(NOW, List.of(), false, false);
    assertEquals("lenses", values("price_sensitive_browser", "cons-").get("cons-a"));
    assertFalse(personTags("cons-a").isEmpty());
    assertTrue(first.tags().stream().anyMatch(t -> t.tagId().equals("interest") && t.ok()), first.tags().toString());

    new BehaviorFixture(w, NOW).consent("cons-a", "profiling", false, Instant.now());
    TagService.Cycle second = service.refresh(NOW, List.of("price_sensitive_browser"), false, false);
    TagRefresher.Result r = second.tags().get(0).result();
    assertTrue(r.withheld() >= 1 && r.removed() >= 1, r.toString());
    try (Connection c = w.connect(); Statement st = c.createStatement();
         ResultSet rs = st.executeQuery("SELECT tag_id, is_deleted, JSONExtractString(evidence, 'removed') FROM tag_values FINAL"
             + " WHERE person_id = 'cons-a'")) {
      int n = 0;
      while (rs.next()) {
        n++;
        assertEquals(1, rs.getInt(2), "tag " + rs.getString(1) + " removed");
        assertEquals("consent_withheld", rs.getString(3));
      }
      assertTrue(n >= 2, "price_sensitive_browser and interest both had values");
    }
    assertTrue(personTags("cons-a").isEmpty());
    assertEquals("withheld", scalarString("SELECT consent_profiling FROM profiles WHERE person_id = 'cons-a'"));
  }

  @Test
  void sensitiveDefinitionIsRefused() throws SQLException {
    String body = "SELECT person_id, 'x' AS value, 1.0 AS score, map('n', 1.0) AS counts, CAST([], 'Array(String)') AS"
        + " examples FROM profiles";
    String health = header("diet_interest", "Diet interest", "health") + body;
    String hidden = header("pregnancy_predictor", "Baby shopper", "behavior") + body;
    String fine = header("night_owl", "Night owl", "behavior") + body;
    TagCatalog catalog = TagCatalog.of(Map.of("a.sql", health, "b.sql", hidden, "c.sql", fine));
    assertEquals(List.of("night_owl"), catalog.definitions().stream().map(TagDefinition::id).toList());
    assertEquals(2, catalog.refused().size());
    for (TagDefinitionException e : catalog.refused()) {
      assertTrue(e instanceof SensitiveTagException, e.getMessage());
      assertTrue(e.getMessage().contains("refused") && e.getMessage().contains("health"), e.getMessage());
    }
    SensitiveTagException e = assertThrows(SensitiveTagException.class,
        () -> service.registry().register(TagDefinition.parse("a.sql", health)));
    assertEquals("health", e.sensitiveClass());
    assertTrue(e.getMessage().contains("category 'health'"), e.getMessage());
    assertEquals(0L, scalar("SELECT count() FROM tag_definitions WHERE tag_id IN ('diet_interest', 'pregnancy_predictor')"));
  }

  static String header(String id, String name, String category) {
    return "-- tag: " + id + "\n-- version: 1\n-- name: " + name + "\n-- description: d\n-- owner: o\n-- category: "
        + category + "\n-- sensitivity: none\n-- kind: rule\n-- refresh: 1h\n-- ttl_days: 1\n";
  }

  private static Map<String, String> values(String tag, String prefix) throws SQLException {
    Map<String, String> out = new TreeMap<>();
    try (Connection c = w.connect(); Statement st = c.createStatement();
         ResultSet rs = st.executeQuery("SELECT person_id, value FROM person_tags WHERE tag_id = " + SqlLiteral.string(tag)
             + " AND startsWith(person_id, " + SqlLiteral.string(prefix) + ")")) {
      while (rs.next()) {
        out.put(rs.getString(1), rs.getString(2));
      }
    }
    return out;
  }

  private static Set<String> personTags(String person) throws SQLException {
    Set<String> out = new HashSet<>();
    try (Connection c = w.connect(); Statement st = c.createStatement();
         ResultSet rs = st.executeQuery("SELECT tag_id FROM person_tags WHERE person_id = " + SqlLiteral.string(person))) {
      while (rs.next()) {
        out.add(rs.getString(1));
      }
    }
    return out;
  }

  static long scalar(String sql) throws SQLException {
    try (Connection c = w.connect(); Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    }
  }

  static String scalarString(String sql) throws SQLException {
    try (Connection c = w.connect(); Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
      assertTrue(rs.next(), "a row from " + sql);
      return rs.getString(1);
    }
  }

  static ProfileRefresher profiles() {
    return service.profiles();
  }
}
