package dev.lode.recommend;

import dev.lode.warehouse.Warehouse;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Recommendations for one person or one item: read from the lists the {@link ServingRefresher}
 * keeps current when it can, otherwise computed by a single ClickHouse query over the live
 * behaviour tables and the {@code live} model; the Java side only binds the arguments and
 * reads the ranked rows back.
 */
public final class Recommender {
  /** The model recommend() and similar_items() read; refreshed by {@link ModelRefresher}. */
  public static final String LIVE = "live";
  public static final int MAX_K = 1000;

  private final Warehouse warehouse;
  private final RecommendSettings settings;
  private final Clock clock;
  private final ServingStore store;

  /** A recommender whose "now" is the as-of clock of its settings ({@code lode.model.as-of}). */
  public Recommender(Warehouse warehouse, RecommendSettings settings) {
    this(warehouse, settings, null);
  }

  /** A recommender with its own clock (null = the settings' as-of), e.g. to recommend as of a past day. */
  public Recommender(Warehouse warehouse, RecommendSettings settings, Clock clock) {
    this.warehouse = warehouse;
    this.settings = settings;
    this.clock = clock;
    this.store = new ServingStore(warehouse, settings);
  }

  public RecommendSettings settings() {
    return settings;
  }

  /**
   * {@code recommend(person, k, context)}: the k best items for the person, best first; from
   * the served lists when they are current (see {@link #served}), else computed live.
   */
  public List<Recommendation> recommend(String person, int k, RecContext context) throws SQLException {
    try (Connection c = warehouse.connect()) {
      return recommend(c, person, k, context);
    }
  }

  /**
   * {@link #recommend(String, int, RecContext)} over {@code c}, a connection to the warehouse
   * database or a role's view of it (the SQL layer's {@code recommend()} calls it this way).
   */
  public List<Recommendation> recommend(Connection c, String person, int k, RecContext context) throws SQLException {
    return recommend(c, person, k, context, null);
  }

  /**
   * {@link #recommend(Connection, String, int, RecContext)} that hands {@code computedLive} (when
   * not null) the native query, with its arguments as literals, whenever the call is computed live
   * (the SQL layer reports it as the statement it pushed down).
   */
  public List<Recommendation> recommend(Connection c, String person, int k, RecContext context,
                                        Consumer<String> computedLive) throws SQLException {
    Optional<List<Recommendation>> s = served(c, person, k, context);
    if (s.isPresent()) {
      return s.get();
    }
    Instant asOf = asOf();
    SqlBinder.Jdbc b = SqlBinder.jdbc();
    String sql = recommendSql(b, person, k, context, asOf);
    if (computedLive != null) {
      computedLive.accept(recommendSql(SqlBinder.literals(), person, k, context, asOf));
    }
    return run(c, sql, b.values(), true);
  }

  /**
   * {@code recommend(person, k)} read from the served lists over {@code c} (a connection to the
   * warehouse database or a role's view of it), when the call can be served: no context, no clock
   * of the constructor's, k within the stored list, and a refresher that is ready, not lagging and
   * computing as of this recommender's clock setting ({@code lode.model.as-of}, whatever it resolves
   * to: the lists are computed as of it). Empty = compute it live.
   */
  public Optional<List<Recommendation>> served(Connection c, String person, int k, RecContext context)
      throws SQLException {
    if (!servable(person, k, context)) {
      return Optional.empty();
    }
    return store.serve(c, person.trim(), k, settings.servingMaxLagMillis());
  }

  private boolean servable(String person, int k, RecContext context) {
    checkK("recommend", k);
    return clock == null && person != null && !person.isBlank()
        && (context == null || context.equals(RecContext.NONE)) && k <= ServingStore.LIST_SIZE;
  }

  /** The native query of {@code recommend} with its arguments as escaped literals (tests run it to compare). */
  public String recommendSql(String person, int k, RecContext context) throws SQLException {
    return recommendSql(SqlBinder.literals(), person, k, context, asOf());
  }

  /**
   * The "now" recommendations are computed as of: the constructor's clock, else
   * {@code lode.model.as-of} resolved in the warehouse; null = the engine's current time.
   */
  public Instant asOf() throws SQLException {
    return clock != null ? clock.instant() : settings.asOf().resolve(warehouse).orElse(null);
  }

  private String recommendSql(SqlBinder b, String person, int k, RecContext context, Instant asOf) {
    if (person == null || person.isBlank()) {
      throw new IllegalArgumentException("recommend(person) is required");
    }
    checkK("recommend", k);
    return RecommendQuery.person(b, settings, person.trim(), LIVE, asOf,
        context == null ? RecContext.NONE : context, k, settings.consentRequired());
  }

  /** {@code similar_items(item, k)}: the item's strongest neighbours across baskets, sessions and customers. */
  public List<Recommendation> similarItems(String item, int k) throws SQLException {
    SqlBinder.Jdbc b = SqlBinder.jdbc();
    String sql = similarItemsSql(b, item, k);
    try (Connection c = warehouse.connect()) {
      return run(c, sql, b.values(), false);
    }
  }

  public String similarItemsSql(String item, int k) {
    return similarItemsSql(SqlBinder.literals(), item, k);
  }

  private String similarItemsSql(SqlBinder b, String item, int k) {
    if (item == null || item.isBlank()) {
      throw new IllegalArgumentException("similar_items(item) is required");
    }
    checkK("similar_items", k);
    return "WITH " + b.string(LIVE) + " AS p_model, " + b.string(item.trim()) + " AS p_item, " + b.integer(k) + " AS p_k, "
        + b.number(settings.weight(Source.BASKET)) + " AS w_basket, "
        + b.number(settings.weight(Source.SESSION)) + " AS w_session, "
        + b.number(settings.weight(Source.CUSTOMER)) + " AS w_customer,\n"
        + """
          (SELECT max(generation) FROM rec_models WHERE model = p_model) AS p_gen,
        scored AS (
          SELECT neighbor_id AS candidate,
                 sum(similarity * multiIf(kind = 'basket', w_basket, kind = 'session', w_session, w_customer)) AS score,
                 argMax(toString(kind), similarity * multiIf(kind = 'basket', w_basket, kind = 'session', w_session, w_customer)) AS source,
                 argMax(together, similarity * multiIf(kind = 'basket', w_basket, kind = 'session', w_session, w_customer)) AS together
          FROM rec_item_neighbors
          WHERE model = p_model AND generation = p_gen AND item_id = p_item AND kind != 'ease'
          GROUP BY candidate)
        SELECT p_item AS person_id, candidate AS item_id, score,
               toUInt32(row_number() OVER (ORDER BY score DESC, candidate)) AS item_rank, source,
               multiIf(source = 'basket', concat('bought together in ', toString(together), ' orders'),
                       source = 'session', concat('viewed together in ', toString(together), ' sessions'),
                       concat(toString(together), ' customers bought both')) AS reason
        FROM scored
        WHERE candidate NOT IN (SELECT item_id FROM items FINAL WHERE stock = 0) AND score > 0
        QUALIFY item_rank <= p_k
        ORDER BY item_rank
        """;
  }

  private static void checkK(String function, int k) {
    if (k < 1 || k > MAX_K) {
      throw new IllegalArgumentException(function + "(k) must be between 1 and " + MAX_K + ", got " + k);
    }
  }

  private static List<Recommendation> run(Connection c, String sql, List<Object> values, boolean withPerson)
      throws SQLException {
    List<Recommendation> out = new ArrayList<>();
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      for (int i = 0; i < values.size(); i++) {
        ps.setObject(i + 1, values.get(i));
      }
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.add(new Recommendation(withPerson ? rs.getString("person_id") : null, rs.getString("item_id"),
              rs.getDouble("score"), rs.getInt("item_rank"), rs.getString("source"), rs.getString("reason")));
        }
      }
    }
    return out;
  }

}
