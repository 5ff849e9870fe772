package dev.lode.recommend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lode.clock.AsOf;
import dev.lode.config.LodeConfig;
import dev.lode.testing.BehaviorFixture;
import dev.lode.testing.TestWarehouse;
import dev.lode.warehouse.Warehouse;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code lode.recommend.as-of}: a shop whose every event lies in October 2031, after the real
 * "now". As of 10 October 2031 the person's view a day earlier decides the list; with the
 * default clock (now) that view is in the future and counts for nothing.
 */
class RecommendAsOfTest {
  private static final Instant AS_OF = Instant.parse("2031-10-10T00:00:00Z");
  private static Warehouse warehouse;
  private static RecommendSettings settings;

  @BeforeAll
  static void shop() throws SQLException {
    warehouse = TestWarehouse.isolated("recasof");
    BehaviorFixture f = new BehaviorFixture(warehouse, AS_OF);
    // the person looked at the teapot a day before the as-of instant
    f.event("ao-p", "product_view", "ao-a", Duration.ofDays(1), 1000, "ao-p-1");
    f.flush();
    f.consent("ao-p", "personalization", true, Instant.parse("2031-01-01T00:00:00Z"));
    f.item("item-ao-a", "teapot", "kitchen", 10);
    f.item("item-ao-b", "cups", "kitchen", 5);
    // three customers bought teapot and cups together on 1-3 October 2031
    f.boughtTogether("ao", 3, LocalDate.of(2031, 10, 1), List.of("item-ao-a", "item-ao-b"));
    // basket and recent are what the clock changes here; the trained ease source has EaseModelTest
    settings = RecommendSettings.from(TestWarehouse.config().with("lode.recommend.weight.ease", "0"));
    new ModelBuilder(warehouse, settings).build(Recommender.LIVE, AS_OF, true);
  }

  @Test
  void asOfTheFixturesTimeThePersonsHistoryCounts() throws SQLException {
    Recommender r = new Recommender(warehouse, settings.withAsOf(AsOf.parse("2031-10-10T00:00:00Z")));
    List<Recommendation> recs = r.recommend("ao-p", 5, RecContext.NONE);
    assertEquals(List.of("item-ao-b", "item-ao-a"), recs.stream().map(Recommendation::itemId).toList(), "" + recs);
    // cups: best of basket (1.0), customer (0.8), category (0.15), seasonal (0.1) and trending (0.05), each
    // normalised to 1 since cups are every source's only or equal-best item; the teapot: recent (0.6) and the same
    // category, seasonal and trending shares
    assertEquals("basket", recs.get(0).source());
    assertEquals("bought together with item-ao-a", recs.get(0).reason());
    assertEquals(2.1, recs.get(0).score(), 1e-6);
    assertEquals("recent", recs.get(1).source());
    assertEquals(0.9, recs.get(1).score(), 1e-6);
    assertTrue(r.recommendSql("ao-p", 5, RecContext.NONE).contains("fromUnixTimestamp64Milli(toInt64(" + AS_OF.toEpochMilli() + "), 'UTC') AS p_asof"),
        "the as-of instant is the query's now");
    try (Connection c = warehouse.connect()) {
      assertEquals(Optional.empty(), r.served(c, "ao-p", 5, RecContext.NONE), "no refresher runs here: nothing is served");
    }
  }

  @Test
  void byDefaultNowIsTheEnginesAndTheFutureHistoryCountsForNothing() throws SQLException {
    Recommender r = new Recommender(warehouse, settings);
    assertEquals(AsOf.NOW, settings.asOf());
    assertTrue(r.recommendSql("ao-p", 5, RecContext.NONE).contains("now64(3, 'UTC') AS p_asof"));
    List<Recommendation> recs = r.recommend("ao-p", 5, RecContext.NONE);
    assertFalse(recs.isEmpty(), "popularity still recommends");
    Set<String> personal = Set.of("basket", "session", "customer", "ease", "recent", "category");
    for (Recommendation x : recs) {
      assertFalse(personal.contains(x.source()), "a view after now counted: " + x);
    }
  }

  @Test
  void latestEventIsJustAfterTheNewestEvent() throws SQLException {
    RecommendSettings latest = RecommendSettings.from(TestWarehouse.config().with("lode.recommend.as-of", "latest-event")
        .with("lode.recommend.weight.ease", "0"));
    assertEquals(Instant.parse("2031-10-09T00:00:00.001Z"), new Recommender(warehouse, latest).asOf());
    assertEquals("basket", new Recommender(warehouse, latest).recommend("ao-p", 1, RecContext.NONE).get(0).source());
  }

  @Test
  void theModelClockSetsTheRecommendersAndItsOlderKeyStillWins() throws SQLException {
    LodeConfig model = TestWarehouse.config().with(AsOf.KEY, "latest-event");
    assertEquals(Instant.parse("2031-10-09T00:00:00.001Z"), new Recommender(warehouse, RecommendSettings.from(model)).asOf());
    RecommendSettings both = RecommendSettings.from(model.with("lode.recommend.as-of", "2031-10-20T00:00:00Z"));
    assertEquals(Instant.parse("2031-10-20T00:00:00Z"), new Recommender(warehouse, both).asOf());
    // auto: the newest record lies after the current time here, so the data is live and now is now
    assertEquals(null, new Recommender(warehouse, RecommendSettings.from(model.with(AsOf.KEY, "auto"))).asOf());
  }

  @Test
  void aBadAsOfNamesTheKeyAndTheForms() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> RecommendSettings.from(TestWarehouse.config().with("lode.recommend.as-of", "yesterday")));
    assertEquals("configuration lode.recommend.as-of=yesterday: as-of must be auto, now, latest-event or an ISO instant"
        + " like 2026-11-01T00:00:00Z, got 'yesterday'", e.getMessage());
  }
}
