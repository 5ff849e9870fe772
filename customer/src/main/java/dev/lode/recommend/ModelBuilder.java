package dev.lode.recommend;

import dev.lode.warehouse.Warehouse;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Builds a recommendation model inside ClickHouse with INSERT … SELECT statements: item
 * neighbours by co-occurrence in baskets, sessions and customers, the trained source — EASE
 * weights ({@link EaseTrainer}) or, on a large catalog, implicit-ALS factors and each person's best items
 * ({@link IalsTrainer}), fitted in the JVM over the purchase matrix and written back, popularity by
 * segment × season × region, and trending items (both counting buyers as identity resolution knows
 * them, see {@link Buyers}), all from data before a cutoff. Each build
 * is a new generation; the previous ones are dropped once the new one is recorded. A build
 * whose input fingerprint equals the last one's is skipped.
 */
public final class ModelBuilder {
  private static final Logger LOG = LoggerFactory.getLogger(ModelBuilder.class);

  /** Baskets and sessions with more distinct items than this are left out: they pair everything with everything. */
  static final int MAX_GROUP_ITEMS = 200;
  /** A customer's most frequently bought items considered for customer co-occurrence. */
  static final int MAX_CUSTOMER_ITEMS = 300;
  /** Items kept per popularity group. */
  static final int POPULAR_PER_GROUP = 500;
  static final int TREND_RECENT_DAYS = 14;
  static final int TREND_PRIOR_DAYS = 56;

  private final Warehouse warehouse;
  private final RecommendSettings settings;
  private final TrainingData data;

  public ModelBuilder(Warehouse warehouse, RecommendSettings settings) {
    this(warehouse, settings, TrainingData.WAREHOUSE);
  }

  /** A builder reading {@code data}'s purchases (an evaluation's training lines) instead of the warehouse's. */
  ModelBuilder(Warehouse warehouse, RecommendSettings settings, TrainingData data) {
    this.warehouse = warehouse;
    this.settings = settings;
    this.data = data;
  }

  /** What one build did. */
  public record Build(String model, long generation, boolean skipped, long neighbors, long popularity, long trending,
                      long millis, ModelTraining training) {
  }

  /** Builds {@code model} from the data before {@code cutoff}; {@code force} builds even if nothing changed. */
  public Build build(String model, Instant cutoff, boolean force) throws SQLException {
    String m = RecommendQuery.modelName(model);
    SqlBinder lit = SqlBinder.literals();
    long t0 = System.nanoTime();
    try (Connection c = warehouse.connect(); Statement st = c.createStatement()) {
      String watermark = scalar(st, "SELECT concat("
          + "(SELECT toString((count(), max(loaded_at))) FROM order_lines), '/',"
          + "(SELECT toString((count(), max(received_time))) FROM events), '/',"
          + "(SELECT toString((count(), max(loaded_at))) FROM items), '/',"
          // the cutoff's day, not its instant: a live model (cutoff = now) with unchanged input is rebuilt
          // once a day for the trending window, not at every refresh
          + "(SELECT toString((count(), max(updated_at))) FROM persons), '/', toString(toDate("
          + lit.time(cutoff) + ")))");
      String last = scalar(st, "SELECT argMax(watermark, generation) FROM rec_models WHERE model = " + lit.string(m));
      long lastGen = Long.parseLong(scalar(st, "SELECT max(generation) FROM rec_models WHERE model = " + lit.string(m)));
      if (!force && watermark.equals(last)) {
        return new Build(m, lastGen, true, 0, 0, 0, 0, ModelTraining.NONE);
      }
      SeasonCalendar.load(settings.calendarFile()).writeTo(c, warehouse.mutationTarget("rec_calendar"));
      long gen = Math.max(System.currentTimeMillis(), lastGen + 1);
      String with = "WITH " + lit.string(m) + " AS b_model, toUInt64(" + gen + ") AS b_gen, " + lit.time(cutoff)
          + " AS b_cutoff,\n";
      st.execute(data.rewrite(neighbors(with, "basket", """
          SELECT order_id AS g, groupUniqArray(item_id) AS items FROM order_lines
          WHERE item_id != '' AND status = 'completed' AND quantity > 0 AND order_time < b_cutoff
          GROUP BY order_id HAVING length(items) BETWEEN 2 AND %d""".formatted(MAX_GROUP_ITEMS))));
      st.execute(data.rewrite(neighbors(with, "session", """
          SELECT session_id AS g, groupUniqArray(item_id) AS items FROM events
          WHERE session_id != '' AND item_id != '' AND event_time < b_cutoff
            AND event_name IN ('product_view', 'add_to_cart', 'purchase')
          GROUP BY session_id HAVING length(items) BETWEEN 2 AND %d""".formatted(MAX_GROUP_ITEMS))));
      st.execute(data.rewrite(neighbors(with, "customer", """
          SELECT person_id AS g, groupArray(%d)(item_id) AS items FROM (
            SELECT person_id, item_id, count() AS n FROM (
              SELECT person_id, item_id FROM order_lines
              WHERE person_id != '' AND item_id != '' AND status = 'completed' AND quantity > 0 AND order_time < b_cutoff
              UNION ALL
              -- events as identity resolution attributes them (the collector stamps no person)
              SELECT person_id, item_id FROM profile_events_all
              WHERE item_id != '' AND event_name = 'purchase' AND event_time < b_cutoff)
            GROUP BY person_id, item_id ORDER BY person_id, n DESC)
          GROUP BY person_id HAVING length(items) >= 2""".formatted(MAX_CUSTOMER_ITEMS))));
      // the learned source: trained in the JVM on the purchase matrix, its weights written as neighbours of kind ease
      ModelTraining training = train(c, st, m, gen, cutoff);
      st.execute(data.rewrite(popularity(with)));
      st.execute(data.rewrite(trending(with)));
      long nb = count(st, "rec_item_neighbors", m, gen);
      long pop = count(st, "rec_item_popularity", m, gen);
      long tr = count(st, "rec_item_trending", m, gen);
      long ms = (System.nanoTime() - t0) / 1_000_000;
      st.execute("INSERT INTO rec_models (model, generation, cutoff, built_at, watermark, neighbors, popularity, trending,"
          + " build_ms, trainer, train_ms, train_heap_mb, train_items, weights) SELECT " + lit.string(m) + ", " + gen + ", "
          + lit.time(cutoff) + ", now64(3), " + lit.string(watermark) + ", " + nb + ", " + pop + ", " + tr + ", " + ms
          + ", " + lit.string(training.trainer()) + ", " + training.millis() + ", " + training.heapPeakMb() + ", "
          + training.items() + ", " + lit.string(settings.describeWeights()));
      dropOlder(st, warehouse, m, gen);
      LOG.info("recommendation model {} generation {}: {} neighbour rows, {} popularity rows, {} trending, {} ms;"
          + " trained {} on {} persons x {} items in {} ms, heap peak {} MB; blend weights {}", m, gen, nb, pop, tr, ms,
          training.trainer(), training.persons(), training.items(), training.millis(), training.heapPeakMb(),
          settings.describeWeights());
      return new Build(m, gen, false, nb, pop, tr, ms, training);
    }
  }

  /**
   * Trains the learned source the catalog calls for ({@link RecommendSettings.Trainer#choose}): EASE up to
   * {@code lode.recommend.ease.max-items} items, implicit ALS above; nothing when both weights are 0.
   */
  private ModelTraining train(Connection c, Statement st, String m, long gen, Instant cutoff) throws SQLException {
    if (settings.weight(Source.EASE) <= 0 && settings.weight(Source.IALS) <= 0) {
      return ModelTraining.NONE;
    }
    TrainingClock clock = new TrainingClock();
    RecommendSettings.Trainer forced = settings.trainer();
    int cap = forced == RecommendSettings.Trainer.EASE ? settings.ease().maxItems()
        : Math.max(settings.ease().maxItems(), settings.ials().maxItems());
    PurchaseMatrix matrix = PurchaseMatrix.read(st, data.lines(), cutoff, cap);
    return forced.choose(matrix.items().size(), settings.ease().maxItems()) == RecommendSettings.Trainer.EASE
        ? new EaseTrainer(settings.ease()).train(c, matrix, m, gen, clock)
        : new IalsTrainer(settings.ials()).train(c, matrix, m, gen, clock);
  }

  /** Drops a model's every generation (e.g. an evaluation model after use). */
  public void drop(String model) throws SQLException {
    String m = RecommendQuery.modelName(model);
    try (Connection c = warehouse.connect(); Statement st = c.createStatement()) {
      dropOlder(st, warehouse, m, Long.MAX_VALUE);
      st.execute("ALTER TABLE " + warehouse.mutationTarget("rec_models") + " DELETE WHERE model = " + SqlBinder.quote(m) + " SETTINGS mutations_sync = 1");
    }
  }

  private String neighbors(String with, String kind, String groups) {
    // cosine of the binary group x item matrix: together / sqrt(groups with a * groups with b)
    return "INSERT INTO rec_item_neighbors (model, generation, kind, item_id, neighbor_id, together, similarity)\n"
        + with + "groups AS (" + groups + "),\n"
        + "counts AS (SELECT arrayJoin(items) AS item_id, count() AS n FROM groups GROUP BY item_id),\n"
        + "pairs AS (SELECT a, b, count() AS together FROM groups ARRAY JOIN items AS a ARRAY JOIN items AS b\n"
        + "          WHERE a != b GROUP BY a, b HAVING together >= 2)\n"
        + "SELECT b_model, b_gen, '" + kind + "', p.a, p.b, p.together, p.together / sqrt(ca.n * cb.n) AS sim\n"
        + "FROM pairs p INNER JOIN counts ca ON ca.item_id = p.a INNER JOIN counts cb ON cb.item_id = p.b\n"
        + "ORDER BY p.a, sim DESC, p.b LIMIT " + settings.neighbors() + " BY p.a";
  }

  private String popularity(String with) {
    return "INSERT INTO rec_item_popularity (model, generation, segment, season, region, item_id, buyers, score)\n"
        + with + """
        purchases AS (${PURCHASES}),
        day_seasons AS (
          SELECT d.day AS day, d.region AS region, groupUniqArray(c.name) AS names
          FROM (SELECT DISTINCT toDate(t) AS day, region FROM purchases) d CROSS JOIN rec_calendar c
          WHERE d.day BETWEEN c.start_date AND c.end_date
            AND (empty(c.regions) OR has(c.regions, d.region)) AND NOT has(c.not_regions, d.region)
          GROUP BY day, region),
        segments AS (
          SELECT person_id, argMax(traits['segment'], updated_at) AS segment FROM persons GROUP BY person_id),
        counted AS (
          SELECT seg AS segment, sea AS season, reg AS region, p.item_id AS item_id,
                 uniqExact(p.buyer) AS buyers
          FROM purchases p
          LEFT JOIN day_seasons ds ON ds.day = toDate(p.t) AND ds.region = p.region
          LEFT JOIN segments s ON s.person_id = p.person_id
          ARRAY JOIN arrayDistinct([if(s.segment = '', '*', s.segment), '*']) AS seg
          ARRAY JOIN arrayDistinct(arrayConcat(['*'], ds.names)) AS sea
          ARRAY JOIN arrayDistinct([if(p.region = '', '*', p.region), '*']) AS reg
          GROUP BY segment, season, region, item_id)
        SELECT b_model, b_gen, segment, season, region, item_id, buyers,
               buyers / max(buyers) OVER (PARTITION BY segment, season, region) AS score
        FROM counted
        ORDER BY segment, season, region, buyers DESC, item_id
        LIMIT %d BY segment, season, region""".formatted(POPULAR_PER_GROUP)
        .replace("${PURCHASES}", Buyers.purchases(null));
  }

  private static String trending(String with) {
    return "INSERT INTO rec_item_trending (model, generation, item_id, recent, prior, score)\n"
        + with + """
        buys AS (${PURCHASES}),
        counted AS (
          SELECT item_id, uniqExactIf(buyer, t >= b_cutoff - toIntervalDay(%1$d)) AS recent,
                 uniqExactIf(buyer, t < b_cutoff - toIntervalDay(%1$d)) AS prior
          FROM buys GROUP BY item_id)
        SELECT b_model, b_gen, item_id, recent, prior,
               recent * log((recent + 1) / (prior * %1$d / %2$d + 1)) AS s
        FROM counted WHERE recent >= 3 AND s > 0
        ORDER BY s DESC LIMIT 500""".formatted(TREND_RECENT_DAYS, TREND_PRIOR_DAYS)
        .replace("${PURCHASES}", Buyers.purchases("b_cutoff - toIntervalDay(" + (TREND_RECENT_DAYS + TREND_PRIOR_DAYS)
            + ")"));
  }

  private static void dropOlder(Statement st, Warehouse warehouse, String m, long keep) throws SQLException {
    for (String table : List.of("rec_item_neighbors", "rec_item_popularity", "rec_item_trending", "rec_factors",
        "rec_person_items")) {
      List<String> gens = new ArrayList<>();
      try (ResultSet rs = st.executeQuery("SELECT DISTINCT generation FROM " + table + " WHERE model = "
          + SqlBinder.quote(m) + " AND generation < " + keep)) {
        while (rs.next()) {
          gens.add(rs.getString(1));
        }
      }
      for (String g : gens) {
        st.execute("ALTER TABLE " + warehouse.mutationTarget(table) + " DROP PARTITION tuple(" + SqlBinder.quote(m) + ", " + Long.parseLong(g) + ")");
      }
    }
  }

  private static long count(Statement st, String table, String m, long gen) throws SQLException {
    return Long.parseLong(scalar(st, "SELECT count() FROM " + table + " WHERE model = " + SqlBinder.quote(m)
        + " AND generation = " + gen));
  }

  private static String scalar(Statement st, String sql) throws SQLException {
    try (ResultSet rs = st.executeQuery(sql)) {
      rs.next();
      String s = rs.getString(1);
      return s == null ? "" : s;
    }
  }
}
