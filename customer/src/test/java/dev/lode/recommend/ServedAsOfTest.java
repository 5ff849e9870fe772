package dev.lode.recommend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lode.clock.AsOf;
import dev.lode.testing.BehaviorFixture;
import dev.lode.testing.TestWarehouse;
import dev.lode.warehouse.Warehouse;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Served lists on a history loaded from files: under {@code lode.model.as-of=auto} a shop whose
 * every record lies in December 2011 is recommended as of just after its newest record, and the
 * refresher computes the served lists as of that same clock, so calls are served (not computed
 * live) and equal the live computation as of the clock; a new record moves the clock and the
 * person's list follows within a cycle.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ServedAsOfTest {
  /** The fixture's "now": the newest event lies a day before it. */
  private static final Instant DATA_NOW = Instant.parse("2011-12-10T00:00:00Z");
  private static Warehouse warehouse;
  private static RecommendSettings settings;
  private static Recommender recommender;
  private static ServingRefresher refresher;

  @BeforeAll
  static void shop() throws Exception {
    warehouse = TestWarehouse.isolated("servedasof");
    BehaviorFixture f = new BehaviorFixture(warehouse, DATA_NOW);
    // the person looked at the teapot a day before the fixture's now, and at a tray two days before
    f.event("sa-p", "product_view", "sa-a", Duration.ofDays(1), 1000, "sa-p-1");
    f.event("sa-p", "product_view", "sa-t", Duration.ofDays(2), 1000, "sa-p-0");
    f.flush();
    f.consent("sa-p", "personalization", true, Instant.parse("2011-01-01T00:00:00Z"));
    f.item("item-sa-a", "teapot", "sa-a", 10);
    f.item("item-sa-b", "cups", "sa-a", 5);
    f.item("item-sa-t", "tray", "sa-t", 7);
    // four customers bought teapot and cups together on 1-4 December 2011
    f.boughtTogether("sa", 4, LocalDate.of(2011, 12, 1), List.of("item-sa-a", "item-sa-b"));
    // the setting a user of the server has (the tests' default is now)
    settings = RecommendSettings.from(TestWarehouse.config().with(AsOf.KEY, "auto"));
    recommender = new Recommender(warehouse, settings);
    new ModelBuilder(warehouse, settings).build(Recommender.LIVE, recommender.asOf(), true);
    refresher = ServingRefresher.manual(new ServingStore(warehouse, settings));
    boolean complete = false;
    for (int i = 0; i < 3 && !complete; i++) {
      refresher.cycle();
      refresher.drain();
      complete = refresher.cycle().complete();
    }
    assertTrue(complete, "the refresher's pass did not complete");
  }

  @AfterAll
  static void stop() {
    refresher.close();
  }

  @Test
  @Order(1)
  void aHistoryIsServedAsOfItsDataAndEqualsTheLiveComputation() throws SQLException {
    Instant clock = Instant.parse("2011-12-09T00:00:00.001Z");
    assertEquals(clock, recommender.asOf(), "auto on a 2011 history is just after its newest record");
    assertEquals(clock, heartbeatClock(), "the refresher computed the lists as of another clock");
    List<String> calls = new ArrayList<>();
    List<Recommendation> got;
    try (Connection c = warehouse.connect()) {
      got = recommender.recommend(c, "sa-p", 5, RecContext.NONE, calls::add);
    }
    assertEquals(List.of(), calls, "the call was computed live, not served");
    assertFalse(got.isEmpty());
    // the same question asked of ClickHouse directly: the live query as of the fixed clock
    assertEquals(RecommendationRows.nativeRows(warehouse, recommender.recommendSql("sa-p", 5, RecContext.NONE)), RecommendationRows.text(got));
    assertTrue(got.stream().anyMatch(r -> r.source().equals("recent") && r.itemId().equals("item-sa-t")),
        "the views of 2011 count as of 2011: " + got);
    // a recommender with another clock setting computes live (the lists are not as of its clock) and,
    // as of the same instant, gives the same rows
    Recommender fixed = new Recommender(warehouse, settings.withAsOf(AsOf.parse(clock.toString())));
    try (Connection c = warehouse.connect()) {
      assertEquals(Optional.empty(), fixed.served(c, "sa-p", 5, RecContext.NONE));
    }
    assertEquals(RecommendationRows.text(got), RecommendationRows.text(fixed.recommend("sa-p", 5, RecContext.NONE)));
  }

  @Test
  @Order(2)
  void aNewRecordMovesTheClockAndThePersonsListFollows() throws SQLException {
    // a purchase of the tray, received now but made on 9 December 2011: the clock moves to just after it
    try (Connection c = warehouse.connect(); Statement st = c.createStatement()) {
      st.execute("INSERT INTO events (event_id, event_time, received_time, distinct_id, user_id, person_id, event_type,"
          + " event_name, session_id, item_id, quantity, dwell_ms, source) VALUES ('sa-e9',"
          + " toDateTime64('2011-12-09 12:00:00', 3, 'UTC'), now64(3), 'sa-p', 'sa-p', 'sa-p', 'track', 'purchase',"
          + " 'sa-p-9', 'item-sa-t', 1, 0, 't')");
    }
    refresher.cycle();
    Instant clock = Instant.parse("2011-12-09T12:00:00.001Z");
    assertEquals(clock, recommender.asOf());
    assertEquals(clock, heartbeatClock());
    List<String> calls = new ArrayList<>();
    List<Recommendation> got;
    try (Connection c = warehouse.connect()) {
      got = recommender.recommend(c, "sa-p", 5, RecContext.NONE, calls::add);
    }
    assertEquals(List.of(), calls, "the call was computed live, not served");
    assertFalse(got.stream().anyMatch(r -> r.itemId().equals("item-sa-t")), "the bought tray is served: " + got);
    assertEquals(RecommendationRows.nativeRows(warehouse, recommender.recommendSql("sa-p", 5, RecContext.NONE)), RecommendationRows.text(got));
  }

  private static Instant heartbeatClock() throws SQLException {
    try (Connection c = warehouse.connect(); Statement st = c.createStatement();
         ResultSet rs = st.executeQuery("SELECT toUnixTimestamp64Milli(argMax(clock_time, heartbeat)),"
             + " argMax(clock, heartbeat) FROM rec_serving_state")) {
      rs.next();
      assertEquals("auto", rs.getString(2));
      return Instant.ofEpochMilli(rs.getLong(1));
    }
  }
}
