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
import java.util.HashMap;
import java.util.HashSet;
import java.util.Set;
import java.util.List;
import java.util.Map;

/**
 * {@code rec_eval}: offline evaluation inside ClickHouse under an {@link EvalProtocol} (temporal
 * split at a cutoff, seeded per-person random holdout, leave-last-order-out). A model is built from
 * the training side; every person with a training purchase and an item new to them to find is a test
 * person; the recommendations made "as of the cutoff" are scored against those items with
 * precision@k, recall@k, NDCG@k, hit rate and catalog coverage — for the blend, for each source
 * alone (the trained {@code ease} among them), and for a popularity baseline (most distinct customers
 * in training) and an item-kNN baseline (customer co-occurrence cosine, no decay).
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

  RecommendSettings settings() {
    return settings;
  }

  private volatile ModelTraining lastTraining = ModelTraining.NONE;

  /** What training the trained source took in the last evaluation model built (time, heap, trainer). */
  public ModelTraining lastTraining() {
    return lastTraining;
  }

  /** The default end of the test period: the recommender's "now" ({@code lode.recommend.as-of}), else the current time. */
  public Instant asOf() throws SQLException {
    return settings.asOf().resolve(warehouse).orElseGet(Instant::now);
  }

  /** One method's figures; {@code hitRate} is the share of test persons with at least one hit in the top k. */
  public record Result(String method, long persons, double precision, double recall, double ndcg, double hitRate,
                       double coverage, long millis) {
  }

  /** Evaluates at {@code cutoff}, test purchases in [cutoff, end); builds and afterwards drops the evaluation model. */
  public List<Result> evaluate(Instant cutoff, Instant end, int k, List<String> methods) throws SQLException {
    return evaluate(EvalProtocol.TEMPORAL, DEFAULT_SEED, cutoff, end, k, methods);
  }

  /**
   * Evaluates under {@code protocol}: temporal as above; random and leave-last-out hold out purchases
   * before {@code cutoff} ({@code end} is then unused) and build the model from the rest.
   */
  public List<Result> evaluate(EvalProtocol protocol, long seed, Instant cutoff, Instant end, int k,
                               List<String> methods) throws SQLException {
    checkMethods(k, methods);
    try (Split split = split(protocol, seed, cutoff, end, settings)) {
      List<Result> out = new ArrayList<>();
      for (String m : methods) {
        out.add(evaluateOne(split, m, k));
      }
      return out;
    }
  }

  /** An evaluation with the blend tuned for it, and what the tuning chose. */
  public record TunedEvaluation(BlendTuner.Tuned tuning, List<Result> results) {
  }

  /**
   * Evaluates under {@code protocol} with the trained source's penalty ({@code lambdas}) and the blend's
   * weights tuned for it: the split is materialised first, the tuner carves its validation slice out of
   * the split's training side with the same protocol ({@link BlendTuner#tuneFor}), and the evaluation model
   * is then built and every method scored with what it chose. The test part is never seen by the tuning.
   */
  public TunedEvaluation evaluateTuned(EvalProtocol protocol, long seed, Instant cutoff, Instant end, int k,
                                       List<String> methods, double[] lambdas) throws SQLException {
    checkMethods(k, methods);
    try (Split split = materializeSplit(protocol, seed, cutoff, end, TrainingData.WAREHOUSE, "eval_")) {
      BlendTuner.Tuned t = new BlendTuner(warehouse, settings).tuneFor(protocol, seed, split, end, k, lambdas);
      build(split, t.settings());
      List<Result> out = new ArrayList<>();
      for (String m : methods) {
        out.add(evaluateOne(split, m, k, t.settings()));
      }
      return new TunedEvaluation(t, out);
    }
  }

  /** The seed of the random protocol when none is given. */
  public static final long DEFAULT_SEED = 42;

  private static void checkMethods(int k, List<String> methods) {
    if (k < 1 || k > 1000) {
      throw new IllegalArgumentException("rec_eval(k) must be between 1 and 1000, got " + k);
    }
    for (String m : methods) {
      if (!allMethods().contains(m)) {
        throw new IllegalArgumentException("rec_eval(methods) must list some of " + String.join(", ", allMethods())
            + ", got '" + m + "'");
      }
    }
  }

  /**
   * One materialised split and the evaluation model built on its training side: {@code <model>_train}
   * (person, item) the person bought in training, {@code <model>_truth} (person, the items new to them
   * to find), for the holdout protocols {@code <model>_lines} (the order lines left to train on). Closing
   * drops the tables and the model.
   */
  final class Split implements AutoCloseable {
    final String model;
    final Instant asOf;
    final TrainingData data;

    private Split(String model, Instant asOf, TrainingData data) {
      this.model = model;
      this.asOf = asOf;
      this.data = data;
    }

    @Override
    public void close() throws SQLException {
      try (Connection c = warehouse.connect(); Statement st = c.createStatement()) {
        for (String t : List.of("_train", "_truth", "_lines", "_held")) {
          st.execute("DROP TABLE IF EXISTS " + model + t);
        }
      } finally {
        new ModelBuilder(warehouse, settings).drop(model);
      }
    }
  }

  /** Materialises the split and builds its model with {@code s} (its trained-source hyper-parameters). */
  Split split(EvalProtocol protocol, long seed, Instant cutoff, Instant end, RecommendSettings s) throws SQLException {
    Split split = materializeSplit(protocol, seed, cutoff, end, TrainingData.WAREHOUSE, "eval_");
    build(split, s);
    return split;
  }

  /** Builds the split's evaluation model from its training side with {@code s}; on failure the split is dropped. */
  void build(Split split, RecommendSettings s) throws SQLException {
    boolean ok = false;
    try {
      lastTraining = new ModelBuilder(warehouse, s, split.data).build(split.model, split.asOf, true).training();
      ok = true;
    } finally {
      if (!ok) {
        split.close();
      }
    }
  }

  /**
   * Materialises the split's tables (no model yet) from the purchases of {@code source}: the warehouse's
   * own order lines, or an outer split's training lines, so a validation slice is carved out of an
   * evaluation's training side and never sees its test part. {@code prefix} names the split's tables
   * ({@code eval_}, or {@code val_} for a validation slice, which may share the outer split's cutoff).
   */
  Split materializeSplit(EvalProtocol protocol, long seed, Instant cutoff, Instant end, TrainingData source,
                         String prefix) throws SQLException {
    if (protocol == EvalProtocol.TEMPORAL && !end.isAfter(cutoff)) {
      throw new IllegalArgumentException("rec_eval: the test end must be after the cutoff");
    }
    if (protocol == EvalProtocol.TEMPORAL && !source.equals(TrainingData.WAREHOUSE)) {
      throw new IllegalArgumentException("a temporal split reads the warehouse's order lines, not " + source.lines());
    }
    String stamp = DateTimeFormatter.ofPattern("yyyyMMddHHmmss").withZone(ZoneOffset.UTC).format(cutoff);
    String model = prefix + switch (protocol) {
      case TEMPORAL -> stamp;
      case RANDOM -> "rnd_" + stamp;
      case LEAVE_LAST_OUT -> "llo_" + stamp;
    };
    TrainingData data = protocol == EvalProtocol.TEMPORAL ? TrainingData.WAREHOUSE
        : new TrainingData(model + "_lines", false);
    Split split = new Split(model, cutoff, data);
    boolean ok = false;
    try {
      try (Connection c = warehouse.connect(); Statement st = c.createStatement()) {
        switch (protocol) {
          case TEMPORAL -> materialize(st, model, cutoff, end);
          case RANDOM -> materializeRandom(st, model, cutoff, seed, source);
          case LEAVE_LAST_OUT -> materializeLastOut(st, model, cutoff, source);
        }
        if (protocol == EvalProtocol.TEMPORAL) {
          requireTestPersons(st, model, cutoff, end);
        } else {
          requireHeldOut(st, model, protocol, cutoff);
        }
      }
      ok = true;
      return split;
    } finally {
      if (!ok) {
        split.close();
      }
    }
  }

  private static final String COMPLETED = "person_id != '' AND item_id != '' AND status = 'completed' AND quantity > 0";

  /** Per person, a seeded hash picks max(1, ⌊n/5⌋) of their n ≥ 2 distinct items to hold out. */
  private static void materializeRandom(Statement st, String model, Instant cutoff, long seed, TrainingData source)
      throws SQLException {
    String c = SqlBinder.literals().time(cutoff);
    dropSplit(st, model);
    st.execute(source.rewrite("CREATE TABLE " + model + "_held ENGINE = MergeTree ORDER BY (person_id, item_id) AS"
        + " SELECT person_id, item_id FROM ("
        + "  SELECT person_id, item_id,"
        + "   row_number() OVER (PARTITION BY person_id ORDER BY cityHash64(toUInt64(" + seed + "), person_id, item_id),"
        + "     item_id) AS r, count() OVER (PARTITION BY person_id) AS n"
        + "  FROM (SELECT DISTINCT person_id, item_id FROM order_lines WHERE " + COMPLETED + " AND order_time < " + c + "))"
        + " WHERE n >= 2 AND r <= greatest(1, intDiv(n, 5))"));
    st.execute(source.rewrite("CREATE TABLE " + model + "_lines ENGINE = MergeTree ORDER BY (person_id, order_time) AS"
        + " SELECT * FROM order_lines WHERE order_time < " + c
        + " AND (person_id, item_id) NOT IN (SELECT person_id, item_id FROM " + model + "_held)"));
    trainAndTruth(st, model, "SELECT person_id, item_id FROM " + model + "_held");
  }

  /** Per person with two or more orders, the latest order's lines are held out; its items new to them are the truth. */
  private static void materializeLastOut(Statement st, String model, Instant cutoff, TrainingData source)
      throws SQLException {
    String c = SqlBinder.literals().time(cutoff);
    dropSplit(st, model);
    st.execute(source.rewrite("CREATE TABLE " + model + "_held ENGINE = MergeTree ORDER BY (person_id, item_id) AS"
        + " SELECT l.person_id AS person_id, l.item_id AS item_id FROM order_lines l"
        + " WHERE l." + COMPLETED.replace(" AND ", " AND l.") + " AND l.order_time < " + c
        + " AND (l.person_id, l.order_id) IN ("
        + "  SELECT person_id, argMax(order_id, (order_time, order_id)) FROM order_lines"
        + "  WHERE " + COMPLETED + " AND order_time < " + c + " GROUP BY person_id HAVING uniqExact(order_id) >= 2)"));
    st.execute(source.rewrite("CREATE TABLE " + model + "_lines ENGINE = MergeTree ORDER BY (person_id, order_time) AS"
        + " SELECT * FROM order_lines WHERE order_time < " + c
        + " AND (person_id, order_id) NOT IN (SELECT person_id, argMax(order_id, (order_time, order_id)) FROM order_lines"
        + "  WHERE " + COMPLETED + " AND order_time < " + c + " GROUP BY person_id HAVING uniqExact(order_id) >= 2)"));
    trainAndTruth(st, model, "SELECT person_id, item_id FROM " + model + "_held");
  }

  /** {@code <model>_train} from the training lines, {@code <model>_truth} the held-out items not in training. */
  private static void trainAndTruth(Statement st, String model, String held) throws SQLException {
    st.execute("CREATE TABLE " + model + "_train ENGINE = MergeTree ORDER BY (person_id, item_id) AS"
        + " SELECT DISTINCT person_id, item_id FROM " + model + "_lines WHERE " + COMPLETED);
    st.execute("CREATE TABLE " + model + "_truth ENGINE = MergeTree ORDER BY person_id AS"
        + " SELECT h.person_id AS person_id, groupUniqArray(h.item_id) AS items FROM (" + held + ") h"
        + " LEFT ANTI JOIN " + model + "_train t ON t.person_id = h.person_id AND t.item_id = h.item_id"
        + " WHERE h.person_id IN (SELECT person_id FROM " + model + "_train)"
        + " GROUP BY h.person_id");
  }

  private static void dropSplit(Statement st, String model) throws SQLException {
    for (String t : List.of("_train", "_truth", "_lines", "_held")) {
      st.execute("DROP TABLE IF EXISTS " + model + t);
    }
  }

  private static void requireHeldOut(Statement st, String model, EvalProtocol p, Instant cutoff) throws SQLException {
    try (ResultSet rs = st.executeQuery("SELECT count() FROM " + model + "_truth")) {
      rs.next();
      if (rs.getLong(1) == 0) {
        throw new NoTestPersonsException("rec_eval has no test persons for protocol " + p.sqlName() + " before "
            + cutoff + ": " + (p == EvalProtocol.RANDOM ? "no person bought two or more distinct items"
            : "no person has two or more orders with an item new to them in the last") + " before the cutoff");
      }
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
    dropSplit(st, model);
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

  /** The top-k lists of {@code method} for the split's test persons: person_id, item_id, item_rank (SQL). */
  String recsSql(Split split, String method, int k, RecommendSettings base) {
    SqlBinder lit = SqlBinder.literals();
    String train = split.model + "_train";
    String testPersons = "SELECT person_id FROM " + split.model + "_truth";
    return switch (method) {
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
          QUALIFY item_rank <= %d""".formatted(train, testPersons, lit.string(split.model), train, k);
      default -> {
        RecommendSettings s = method.equals("blend") ? base : base.withWeights(only(source(method)));
        // the person's training purchases are excluded by the blend itself: it reads the split's training
        // lines as the person's history and drops bought (non-consumable) items
        yield "SELECT r.person_id AS person_id, r.item_id AS item_id, r.item_rank AS item_rank, r.score AS score FROM ("
            + split.data.rewrite(RecommendQuery.sql(lit, s, new RecommendQuery.Persons(testPersons), split.model,
                split.asOf, RecContext.NONE, k, false))
            + ") r";
      }
    };
  }

  /** Weight 1 for {@code source}, 0 for every other. */
  static Map<Source, Double> only(Source source) {
    Map<Source, Double> w = new EnumMap<>(Source.class);
    for (Source x : Source.values()) {
      w.put(x, x == source ? 1.0 : 0.0);
    }
    return w;
  }

  Result evaluateOne(Split split, String method, int k) throws SQLException {
    return evaluateOne(split, method, k, settings);
  }

  Result evaluateOne(Split split, String method, int k, RecommendSettings base) throws SQLException {
    String train = split.model + "_train";
    String truth = split.model + "_truth";
    String sql = "WITH recs AS (" + recsSql(split, method, k, base) + ")\n"
        + "SELECT count() AS persons, avg(hits / " + k + ") AS precision_at_k, avg(hits / length(items)) AS recall_at_k,\n"
        + "  avg(dcg / arraySum(arrayMap(i -> 1 / log2(i + 1), range(1, least(" + k + ", length(items)) + 1)))) AS ndcg_at_k,\n"
        + "  avg(hits > 0) AS hit_rate,\n"
        + "  (SELECT uniqExact(item_id) FROM recs) / (SELECT uniqExact(item_id) FROM " + train + ") AS coverage\n"
        + "FROM (\n"
        + "  SELECT tr.person_id, any(tr.items) AS items, countIf(has(tr.items, r.item_id)) AS hits,\n"
        + "         sumIf(1 / log2(r.item_rank + 1), has(tr.items, r.item_id)) AS dcg\n"
        + "  FROM " + truth + " tr LEFT JOIN recs r ON r.person_id = tr.person_id\n"
        + "  GROUP BY tr.person_id)";
    long t0 = System.nanoTime();
    try (Connection c = warehouse.connect(); Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
      rs.next();
      return new Result(method, rs.getLong(1), rs.getDouble(2), rs.getDouble(3), rs.getDouble(4), rs.getDouble(5),
          rs.getDouble(6), (System.nanoTime() - t0) / 1_000_000);
    }
  }

  /** The split's truth: each test person's items to find. */
  Map<String, Set<String>> truth(Split split) throws SQLException {
    Map<String, Set<String>> out = new HashMap<>();
    try (Connection c = warehouse.connect(); Statement st = c.createStatement();
         ResultSet rs = st.executeQuery("SELECT person_id, items FROM " + split.model + "_truth")) {
      while (rs.next()) {
        Object[] items = (Object[]) rs.getArray(2).getArray();
        Set<String> set = new HashSet<>();
        for (Object o : items) {
          set.add(o.toString());
        }
        out.put(rs.getString(1), set);
      }
    }
    return out;
  }

  /** {@code method}'s ranked lists for the split's test persons, best first (tests and the tuner score them). */
  Map<String, List<String>> ranked(Split split, String method, int k) throws SQLException {
    Map<String, List<String>> out = new HashMap<>();
    try (Connection c = warehouse.connect(); Statement st = c.createStatement();
         ResultSet rs = st.executeQuery("SELECT person_id, item_id FROM (" + recsSql(split, method, k, settings)
             + ") ORDER BY person_id, item_rank")) {
      while (rs.next()) {
        out.computeIfAbsent(rs.getString(1), x -> new ArrayList<>()).add(rs.getString(2));
      }
    }
    return out;
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
