package dev.lode.recommend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Served lists across a model rebuild, driven by a refresher of its own (no background thread, so
 * every state is reached on purpose): while the full pass redoes everyone after a rebuild, a person
 * not yet redone keeps the list of the earlier model (the call is served, not computed live); once
 * the pass is complete the list equals the new model's live query; and a list of a model no longer
 * served is never answered with the context-only list, the call is computed live instead.
 */
class ModelRebuildServingTest {
  private static Warehouse warehouse;
  private static RecommendSettings settings;
  private static BehaviorFixture fixture;
  private static ServingRefresher refresher;

  @BeforeAll
  static void shop() throws Exception {
    warehouse = TestWarehouse.isolated("rebuildserving");
    fixture = new BehaviorFixture(warehouse, Instant.now().truncatedTo(ChronoUnit.SECONDS));
    // the person looked at the teapot yesterday and has consented to personalization
    fixture.event("rb-p", "product_view", "rb-a", Duration.ofDays(1), 1000, "rb-p-1");
    fixture.flush();
    fixture.consent("rb-p", "personalization", true, fixture.now().minus(Duration.ofDays(30)));
    fixture.item("item-rb-a", "teapot", "rb-a", 10);
    fixture.item("item-rb-b", "cups", "rb-a", 5);
    fixture.item("item-rb-k", "kettle", "rb-k", 30);
    // four customers bought teapot and cups together ten days ago and after
    fixture.boughtTogether("rb1", 4, LocalDate.ofInstant(fixture.now(), ZoneOffset.UTC).minusDays(10),
        List.of("item-rb-a", "item-rb-b"));
    settings = RecommendSettings.from(TestWarehouse.config());
    new ModelBuilder(warehouse, settings).build(Recommender.LIVE, Instant.now(), true);
    refresher = ServingRefresher.manual(new ServingStore(warehouse, settings));
    assertTrue(completePass(), "the first pass did not complete");
  }

  @AfterAll
  static void stop() {
    refresher.close();
  }

  /** Cycles and drains until a cycle says the pass is complete (at most three rounds). */
  private static boolean completePass() throws SQLException {
    boolean complete = false;
    for (int i = 0; i < 3 && !complete; i++) {
      refresher.cycle();
      refresher.drain();
      complete = refresher.cycle().complete();
    }
    return complete;
  }

  /** The call as a new recommender makes it (its shared state read afresh), as text; empty = computed live. */
  private static Optional<List<String>> served() throws SQLException {
    try (Connection c = warehouse.connect()) {
      return new Recommender(warehouse, settings).served(c, "rb-p", 5, RecContext.NONE).map(RecommendationRows::text);
    }
  }

  @Test
  void aRebuildKeepsServingTheEarlierListUntilThePassRedoesThePerson() throws Exception {
    Recommender recommender = new Recommender(warehouse, settings);
    List<String> before = RecommendationRows.nativeRows(warehouse,
        recommender.recommendSql("rb-p", 5, RecContext.NONE));
    assertFalse(before.isEmpty());
    assertEquals(Optional.of(before), served(), "before the rebuild the served list is the live query's");
    long firstGeneration = generation();
    // the refresher looks for changes from a second before its last cycle: let the fixture's rows fall out
    // of that overlap, so the cycle after the rebuild finds only the new buyers changed
    Thread.sleep(ServingRefresher.OVERLAP_MILLIS + 200);
    refresher.cycle();

    // six more customers bought teapot and kettle together: the rebuilt model recommends the kettle
    fixture.boughtTogether("rb2", 6, LocalDate.ofInstant(fixture.now(), ZoneOffset.UTC).minusDays(5),
        List.of("item-rb-a", "item-rb-k"));
    new ModelBuilder(warehouse, settings).build(Recommender.LIVE, Instant.now(), true);
    assertTrue(generation() > firstGeneration, "no new model generation");
    List<String> after = RecommendationRows.nativeRows(warehouse,
        recommender.recommendSql("rb-p", 5, RecContext.NONE));
    assertTrue(after.stream().anyMatch(r -> r.startsWith("item-rb-k ")), "the new model does not recommend the kettle: "
        + after);
    assertNotEquals(before, after);

    // the cycle sees the new generation and queues everyone for the pass; rb-p is not redone yet
    ServingRefresher.Cycle started = refresher.cycle();
    assertFalse(started.complete(), started.toString());
    assertEquals(Optional.of(before), served(), "during the pass the person's earlier list is served");

    assertTrue(completePass(), "the pass after the rebuild did not complete");
    assertEquals(Optional.of(after), served(), "after the pass the served list is the new model's live query");
  }

  @Test
  void aListOfAModelNoLongerServedMeansALiveCallNotTheContextOnlyList() throws Exception {
    assertTrue(completePass());
    assertTrue(served().isPresent());
    // a list of an earlier generation written after the current one (as a late writer could): the pass is
    // complete, so it is not served, and the person is not taken for a stranger either
    try (Connection c = warehouse.connect(); Statement st = c.createStatement()) {
      st.execute("INSERT INTO rec_person_recs (person_id, computed_at, generation, day, personal, items, scores,"
          + " sources, reasons) VALUES ('rb-p', now64(3), " + (generation() - 1) + ", today(), 1, ['item-rb-b'],"
          + " [1.0], ['basket'], ['stale'])");
    }
    refresher.cycle();
    assertEquals(Optional.empty(), served(), "a list of an earlier model was served after the pass completed");
    Recommender recommender = new Recommender(warehouse, settings);
    List<String> calls = new ArrayList<>();
    List<Recommendation> got;
    try (Connection c = warehouse.connect()) {
      got = recommender.recommend(c, "rb-p", 5, RecContext.NONE, calls::add);
    }
    assertEquals(1, calls.size(), "the call was not computed live");
    assertEquals(RecommendationRows.nativeRows(warehouse, recommender.recommendSql("rb-p", 5, RecContext.NONE)),
        RecommendationRows.text(got));
    // the person's own data is what the next cycle redoes; a consent recorded now changes the person
    fixture.consent("rb-p", "personalization", true, Instant.now());
    refresher.cycle();
    assertEquals(Optional.of(RecommendationRows.text(got)), served(), "the redone list is served again");
  }

  private static long generation() throws SQLException {
    try (Connection c = warehouse.connect(); Statement st = c.createStatement();
         ResultSet rs = st.executeQuery("SELECT max(generation) FROM rec_models WHERE model = "
             + SqlLiteral.string(Recommender.LIVE))) {
      rs.next();
      return rs.getLong(1);
    }
  }
}
