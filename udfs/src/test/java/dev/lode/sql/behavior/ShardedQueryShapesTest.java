package dev.lode.sql.behavior;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lode.identity.IdentityResolver;
import dev.lode.simulate.BehaviorSimulator;
import dev.lode.testing.ResultText;
import dev.lode.testing.TestWarehouse;
import dev.lode.warehouse.Warehouse;
import dev.lode.warehouse.cluster.ClusterTables;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The behavior functions' query shapes in cluster mode give the single-node answers. No cluster
 * runs here, so the split a Distributed table makes is written out by hand in the embedded engine:
 * a simulated clickstream (identities resolved, so persons with an anonymous and a logged-in id
 * exist) is copied into three shard tables by the events table's own sharding expression, as a
 * Distributed table with three equal shards routes rows ({@code key % 3}); each function's per-id
 * stage runs on every shard table and the later stages over the concatenated rows — what
 * {@code distributed_group_by_no_merge} does on a cluster — and the rows must equal those of the
 * same call over the whole table. Aggregates that do not split by id (per-person profile
 * figures) are checked as ClickHouse merges them across shards: -State per shard, -Merge over all.
 */
class ShardedQueryShapesTest {
  private static final int SHARDS = 3;
  private static final String FROM = "2025-01-01 00:00:00.000";
  private static final String TO = "2025-02-01 00:00:00.000";
  private static Warehouse warehouse;
  private static Connection c;
  private static EventSource sharded;
  private static List<String> shardTables;
  private static String key;

  @BeforeAll
  static void split() throws SQLException {
    warehouse = TestWarehouse.isolated("sharded_shapes");
    new BehaviorSimulator(warehouse).simulate(new BehaviorSimulator.Spec(23, 20_000,
        Instant.parse("2025-01-01T00:00:00Z"), Instant.parse("2025-01-31T00:00:00Z")), n -> { });
    new IdentityResolver(warehouse, TestWarehouse.config()).resolve();
    c = warehouse.connect();
    key = ClusterTables.of("events").orElseThrow().shardingKey();
    shardTables = new ArrayList<>();
    try (Statement st = c.createStatement()) {
      for (int k = 0; k < SHARDS; k++) {
        String t = "shard" + k + "_events";
        st.execute("DROP TABLE IF EXISTS " + t);
        // a plain local table on the node connected to, also when events is a Distributed table (cluster mode)
        st.execute("CREATE TABLE " + t + " AS events ENGINE = MergeTree ORDER BY (distinct_id, event_time, event_id)");
        st.execute("INSERT INTO " + t + " SELECT * FROM events WHERE " + key + " % " + SHARDS + " = " + k);
        shardTables.add(t);
      }
    }
    String all = shardTables.stream().map(t -> "SELECT * FROM " + t).collect(Collectors.joining(" UNION ALL "));
    sharded = new EventSource("(" + all + ")", "identities_current", shardTables);
  }

  @AfterAll
  static void close() throws SQLException {
    c.close();
  }

  private static List<List<String>> rows(String sql) throws SQLException {
    try (Statement st = c.createStatement()) {
      return ResultText.rows(st, sql);
    }
  }

  private static long single(String sql) throws SQLException {
    return Long.parseLong(rows(sql).getFirst().getFirst());
  }

  /** The call's rows over the whole table and over the shards, which must be equal and not empty. */
  private static void sameAnswer(BehaviorFunction f, Object... args) throws SQLException {
    List<Object> values = Arrays.asList(args);
    BehaviorFunction.Args a = new BehaviorFunction.Args(f.name(), f.params(), values);
    String one = f.readingFrom(EventSource.DEFAULT).sql(a);
    String split = f.readingFrom(sharded).sql(a);
    assertTrue(split.contains("shard0_events") && !one.contains("shard0_events"), split);
    List<List<String>> expected = rows(one);
    assertFalse(expected.isEmpty(), f.name() + values + " answered nothing on the fixture");
    assertEquals(expected, rows(split), f.name() + values);
  }

  /** The profile_events view's own query (as the engine stores it) over one shard's events. */
  private static String profileEventsOver(String shardTable) {
    try {
      String body = rows("SELECT as_select FROM system.tables WHERE database = currentDatabase()"
          + " AND name = 'profile_events_all'").getFirst().getFirst();
      String db = warehouse.database();
      String replaced = body.replace(db + ".events", db + "." + shardTable);
      assertNotEquals(body, replaced, "profile_events_all reads " + db + ".events");
      return replaced;
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * The fixture has what makes the split matter — persons whose ids sit on different shards — and
   * it shows why the per-person stage must not run shard-locally: counted per shard, such a person
   * counts once on each shard holding one of their ids.
   */
  @Test
  void somePersonsSpanShardsAndWouldBeCountedTwiceShardLocally() throws SQLException {
    long spanning = single("SELECT count() FROM (SELECT person_id FROM profile_events_all GROUP BY person_id"
        + " HAVING uniqExact(" + key + " % " + SHARDS + ") > 1)");
    assertTrue(spanning > 10, "only " + spanning + " persons span shards");
    long split = 0;
    long perShard = 0;
    for (String t : shardTables) {
      split += single("SELECT count() FROM " + t);
      perShard += single("SELECT uniqExact(person_id) FROM (" + profileEventsOver(t) + ")");
    }
    assertEquals(single("SELECT count() FROM events"), split, "every event on exactly one shard");
    long persons = single("SELECT uniqExact(person_id) FROM profile_events_all");
    long pairs = single("SELECT sum(n) FROM (SELECT uniqExact(" + key + " % " + SHARDS + ") AS n"
        + " FROM profile_events_all GROUP BY person_id)");
    assertEquals(pairs, perShard, "(person, shard) pairs");
    assertTrue(perShard > persons, perShard + " per-shard counts, " + persons + " persons");
  }

  @Test
  void funnelsInEveryModeAreTheSameOverShards() throws SQLException {
    String steps = "page_view,product_view,add_to_cart,purchase";
    for (String mode : FunnelFunction.MODES) {
      sameAnswer(new FunnelFunction(null, null), steps, 86400L, mode, FROM, TO, null);
    }
    sameAnswer(new FunnelFunction(null, null), steps, 3600L, "ordered", FROM, TO, "device_type");
  }

  @Test
  void retentionIsTheSameOverShards() throws SQLException {
    sameAnswer(new RetentionFunction(null, null), "page_view", "purchase", "week", 3, "first_time", FROM, TO, null);
    sameAnswer(new RetentionFunction(null, null), "product_view", "product_view", "day", 7, "recurring", FROM, TO,
        "device_type");
  }

  @Test
  void pathsAndTrendsAreTheSameOverShards() throws SQLException {
    sameAnswer(new PathsFunction(null, null), "product_view", "after", 3, FROM, TO, null);
    sameAnswer(new PathsFunction(null, null), "purchase", "before", 2, FROM, TO, 900L);
    sameAnswer(new EventTrendsFunction(null, null), "page_view", "day", FROM, TO, null);
  }

  /**
   * Profile figures per person, two-level: each shard aggregates its events per resolved person
   * into aggregate states (identities are on every shard, so resolution is local), and the merge
   * step combines the states of a person from all shards — exactly the single-node figures.
   */
  @Test
  void perPersonProfileFiguresMergeAcrossShards() throws SQLException {
    String figures = "count(), uniqExact(session_id), min(event_time), max(event_time),"
        + " countIf(event_name = 'add_to_cart'), sum(toFloat64(ifNull(revenue, 0))), avgIf(dwell_ms, dwell_ms > 0)";
    String states = "countState() AS events, uniqExactState(session_id) AS sessions, minState(event_time) AS first_seen,"
        + " maxState(event_time) AS last_seen, countIfState(event_name = 'add_to_cart') AS carts,"
        + " sumState(toFloat64(ifNull(revenue, 0))) AS revenue, avgIfState(dwell_ms, dwell_ms > 0) AS avg_dwell";
    String merge = "countMerge(events), uniqExactMerge(sessions), minMerge(first_seen), maxMerge(last_seen),"
        + " countIfMerge(carts), sumMerge(revenue), avgIfMerge(avg_dwell)";
    String shardLocal = shardTables.stream()
        .map(t -> "SELECT person_id, " + states + " FROM (" + profileEventsOver(t) + ") GROUP BY person_id")
        .collect(Collectors.joining(" UNION ALL "));
    List<List<String>> expected = rows("SELECT person_id, " + figures
        + " FROM profile_events_all GROUP BY person_id ORDER BY person_id");
    assertTrue(expected.size() > 100, expected.size() + " persons");
    assertEquals(expected, rows("SELECT person_id, " + merge + " FROM (" + shardLocal + ")"
        + " GROUP BY person_id ORDER BY person_id"));
  }
}
