package dev.lode.recommend;

import dev.lode.warehouse.Warehouse;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * {@code rec_eval}: offline evaluation on a temporal split, inside ClickHouse. A model is
 * built from the data before the cutoff; every person with at least one purchase before
 * it and at least one purchase of an item new to them after it is a test person; the
 * recommendations made "at the cutoff" are scored against those new items with
 * precision@k, recall@k, NDCG@k and catalog coverage — for the blend, for each source
 * alone, and for a popularity baseline (most distinct customers before the cutoff) and an
 * item-kNN baseline (customer co-occurrence cosine, no decay).
 */
public final class RecEvaluator {
  /** The popularity baseline's candidates: the most-bought items, before each person's own are removed. */
  static final int POPULAR_CANDIDATES = 1000;
  private final Warehouse warehouse;
  private final RecommendSettings settings;

  public RecEvaluator(Warehouse warehouse, RecommendSettings settings) {
    this.warehouse = warehouse;
    this.settings = settings;
  }

  /** The default end of the test period: the recommender's "now" ({@code lode.recommend.as-of}), else the current time. */
  public Instant asOf() throws SQLException {
    return settings.asOf().resolve(warehouse).orElseGet(Instant::now);
  }

  /** One method's figures. */
  public record Result(String method, long persons, double precision, double recall, double ndcg, double coverage,
                       long millis) {
  }

  /** Evaluates at {@code cutoff}, test purchases in [cutoff, end); builds and afterwards drops the evaluation model. */
  public List<Result> evaluate(Instant cutoff, Instant end, int k, List<String> methods) throws SQLException {
    if (k < 1 || k > 1000) {
      throw new IllegalArgumentException("rec_eval(k) must be between 1 and 1000, got " + k);
    }
    if (!end.isAfter(cutoff)) {
      throw new IllegalArgumentException("rec_eval: the test end must be after the cutoff");
    }
    for (String m : methods) {
      if (!allMethods().contains(m)) {
        throw new IllegalArgumentException("rec_eval(methods) must list some of " + String.join(", ", allMethods())
            + ", got '" + m + "'");
      }
    }
    String model = "eval_" + DateTimeFormatter.ofPattern("yyyyMMddHHmmss").withZone(ZoneOffset.UTC).format(cutoff);
    ModelBuilder builder = new ModelBuilder(warehouse, settings);
    builder.build(model, cutoff, true);
    try (Connection c = warehouse.connect(); Statement st = c.createStatement()) {
      try {
        materialize(st, model, cutoff, end);
        requireTestPersons(st, model, cutoff, end);
        List<Result> out = new ArrayList<>();
        for (String m : methods) {
          out.add(evaluateOne(st, m, model, cutoff, k));
        }
        return out;
      } finally {
        st.execute("DROP TABLE IF EXISTS " + model + "_train");
        st.execute("DROP TABLE IF EXISTS " + model + "_truth");
      }
    } finally {
      builder.drop(model);
    }
  }

  /**
   * Writes the split once: {@code <model>_train} (person, item) bought before the cutoff and
   * {@code <model>_truth} (person, items new to them bought in [cutoff, end)); every method's
   * query then reads these small tables instead of re-deriving them from order_lines.
   */
  private static void materialize(Statement st, String model, Instant cutoff, Instant end) throws SQLException {
    SqlBinder lit = SqlBinder.literals();
    String c = lit.time(cutoff);
    st.execute("DROP TABLE IF EXISTS " + model + "_train");
    st.execute("DROP TABLE IF EXISTS " + model + "_truth");
    st.execute("CREATE TABLE " + model + "_train ENGINE = MergeTree ORDER BY (person_id, item_id) AS"
        + " SELECT DISTINCT person_id, item_id FROM order_lines WHERE person_id != '' AND item_id != ''"
        + " AND status = 'completed' AND quantity > 0 AND order_time < " + c);
    st.execute("CREATE TABLE " + model + "_truth ENGINE = MergeTree ORDER BY person_id AS"
        + " SELECT l.person_id AS person_id, groupUniqArray(l.item_id) AS items FROM order_lines l"
        + " LEFT ANTI JOIN " + model + "_train t ON t.person_id = l.person_id AND t.item_id = l.item_id"
        + " WHERE l.person_id IN (SELECT person_id FROM " + model + "_train) AND l.item_id != ''"
        + " AND l.status = 'completed' AND l.quantity > 0 AND l.order_time >= " + c + " AND l.order_time < "
        + lit.time(end) + " GROUP BY l.person_id");
  }

  /** Stops with {@link NoTestPersonsException}, naming the condition nothing met, when the split has no test person. */
  private static void requireTestPersons(Statement st, String model, Instant cutoff, Instant end) throws SQLException {
    SqlBinder lit = SqlBinder.literals();
    try (ResultSet rs = st.executeQuery("SELECT (SELECT count() FROM " + model + "_truth),"
        + " count(), countIf(person_id != ''), countIf(person_id != '' AND order_time < " + lit.time(cutoff) + "),"
        + " countIf(person_id != '' AND order_time >= " + lit.time(cutoff) + " AND order_time < " + lit.time(end) + ")"
        + " FROM order_lines WHERE item_id != '' AND status = 'completed' AND quantity > 0")) {
      rs.next();
      if (rs.getLong(1) > 0) {
        return;
      }
      long lines = rs.getLong(2);
      long attributed = rs.getLong(3);
      String why = lines == 0 ? "there are no completed order lines"
          : attributed == 0 ? "none of the " + lines + " completed order lines belongs to a person (run identity"
              + " resolution: bin/lode resolve; order lines join a person through their customer_key)"
          : rs.getLong(4) == 0 ? "no completed order line of a person lies before the cutoff"
          : rs.getLong(5) == 0 ? "no completed order line of a person lies in the test period"
          : "no person who bought before the cutoff bought an item new to them in the test period";
      throw new NoTestPersonsException("rec_eval has no test persons for cutoff " + cutoff + " and test end " + end
          + ": " + why + "; choose a cutoff inside the order history");
    }
  }

  /** Methods understood: blend, popularity, item_knn, and each source name alone. */
  public static List<String> allMethods() {
    List<String> m = new ArrayList<>(List.of("blend", "popularity", "item_knn"));
    for (Source s : Source.values()) {
      if (s != Source.SIMILAR) {
        m.add(s.sqlName());
      }
    }
    return m;
  }

  private Result evaluateOne(Statement st, String method, String model, Instant cutoff, int k) throws SQLException {
    SqlBinder lit = SqlBinder.literals();
    String train = model + "_train";
    String truth = model + "_truth";
    String testPersons = "SELECT person_id FROM " + truth;
    String recs = switch (method) {
      case "popularity" -> """
          SELECT person_id, item_id, toUInt32(row_number() OVER (PARTITION BY person_id ORDER BY score DESC, item_id)) AS item_rank
          FROM (
            SELECT tp.person_id AS person_id, p.item_id AS item_id, p.score AS score
            FROM (%s) tp CROSS JOIN (
              SELECT item_id, uniqExact(person_id) AS score FROM %s GROUP BY item_id ORDER BY score DESC LIMIT %d) p
            LEFT ANTI JOIN %s t ON t.person_id = tp.person_id AND t.item_id = p.item_id)
          QUALIFY item_rank <= %d""".formatted(testPersons, train, POPULAR_CANDIDATES, train, k);
      case "item_knn" -> """
          SELECT person_id, item_id, toUInt32(row_number() OVER (PARTITION BY person_id ORDER BY score DESC, item_id)) AS item_rank
          FROM (
            SELECT s.person_id AS person_id, s.item_id AS item_id, s.score AS score FROM (
              SELECT h.person_id AS person_id, n.neighbor_id AS item_id, sum(n.similarity) AS score
              FROM (SELECT person_id, item_id FROM %s WHERE person_id IN (%s)) h
              INNER JOIN (SELECT item_id, neighbor_id, similarity FROM rec_item_neighbors
                          WHERE model = %s AND kind = 'customer') n ON n.item_id = h.item_id
              GROUP BY person_id, item_id) s
            LEFT ANTI JOIN %s t ON t.person_id = s.person_id AND t.item_id = s.item_id)
          QUALIFY item_rank <= %d""".formatted(train, testPersons, lit.string(model), train, k);
      default -> {
        RecommendSettings s = settings;
        if (!method.equals("blend")) {
          Source only = source(method);
          Map<Source, Double> w = new EnumMap<>(Source.class);
          for (Source x : Source.values()) {
            w.put(x, x == only ? 1.0 : 0.0);
          }
          s = settings.withWeights(w);
        }
        yield RecommendQuery.sql(lit, s, new RecommendQuery.Persons(testPersons), model, cutoff, RecContext.NONE, k,
            false);
      }
    };
    String sql = "WITH recs AS (" + recs + ")\n"
        + "SELECT count() AS persons, avg(hits / " + k + ") AS precision_at_k, avg(hits / length(items)) AS recall_at_k,\n"
        + "  avg(dcg / arraySum(arrayMap(i -> 1 / log2(i + 1), range(1, least(" + k + ", length(items)) + 1)))) AS ndcg_at_k,\n"
        + "  (SELECT uniqExact(item_id) FROM recs) / (SELECT uniqExact(item_id) FROM " + train + ") AS coverage\n"
        + "FROM (\n"
        + "  SELECT tr.person_id, any(tr.items) AS items, countIf(has(tr.items, r.item_id)) AS hits,\n"
        + "         sumIf(1 / log2(r.item_rank + 1), has(tr.items, r.item_id)) AS dcg\n"
        + "  FROM " + truth + " tr LEFT JOIN recs r ON r.person_id = tr.person_id\n"
        + "  GROUP BY tr.person_id)";
    long t0 = System.nanoTime();
    try (ResultSet rs = st.executeQuery(sql)) {
      rs.next();
      return new Result(method, rs.getLong(1), rs.getDouble(2), rs.getDouble(3), rs.getDouble(4), rs.getDouble(5),
          (System.nanoTime() - t0) / 1_000_000);
    }
  }

  private static Source source(String method) {
    for (Source s : Source.values()) {
      if (s.sqlName().equals(method)) {
        return s;
      }
    }
    throw new IllegalArgumentException("rec_eval(method) must be one of " + String.join(", ", allMethods())
        + ", got '" + method + "'");
  }
}
