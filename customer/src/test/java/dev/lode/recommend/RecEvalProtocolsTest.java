package dev.lode.recommend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lode.testing.TestWarehouse;
import dev.lode.warehouse.Warehouse;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * rec_eval's three protocols on a shop whose splits are known by construction: ten customers, three
 * orders each (January, February, April). The items to find are derived here from the fixture (temporal,
 * leave-last-out) or checked for the random holdout's rules; every method's precision, recall, NDCG, hit
 * rate and coverage are recomputed here from its ranked lists and compared with rec_eval's SQL figures.
 */
class RecEvalProtocolsTest {
  private static final int PERSONS = 10;
  private static final int K = 3;
  private static final List<String> METHODS = List.of("blend", "ease", "item_knn", "popularity");
  private static Warehouse warehouse;
  private static RecEvaluator evaluator;

  /** The items of order {@code o} (0..2) of customer {@code p}. */
  private static List<String> order(int p, int o) {
    return switch (o) {
      case 0 -> List.of(item(p), item(p + 1));
      case 1 -> List.of(item(p + 2));
      default -> List.of(item(p + 3), item(p));
    };
  }

  private static String item(int n) {
    return "pr-i" + (n % 6);
  }

  private static final String[] DAYS = {"2020-01-1", "2020-02-1", "2020-04-1"};

  @BeforeAll
  static void shop() throws Exception {
    warehouse = TestWarehouse.isolated("recproto");
    StringBuilder v = new StringBuilder();
    for (int p = 1; p <= PERSONS; p++) {
      for (int o = 0; o < 3; o++) {
        int no = 1;
        for (String it : order(p, o)) {
          v.append(",('pr-o").append(p).append('-').append(o).append("', ").append(no++).append(", 'pr-p").append(p)
              .append("', 'pr-p").append(p).append("', toDateTime64('").append(DAYS[o]).append(p % 10)
              .append(" 10:00:00', 3, 'UTC'), '").append(it).append("', 1, 1, 'completed', 't', now64(3))");
        }
      }
    }
    try (Connection c = warehouse.connect(); Statement st = c.createStatement()) {
      st.execute("INSERT INTO order_lines (order_id, line_no, customer_key, person_id, order_time, item_id, quantity,"
          + " unit_price, status, source, loaded_at) VALUES " + v.substring(1));
    }
    evaluator = new RecEvaluator(warehouse, RecommendSettings.from(TestWarehouse.config())
        .withEase(new RecommendSettings.Ease(1.0, 100, 10)));
  }

  @Test
  void temporalFindsTheAprilItemNewToEachCustomer() throws Exception {
    Map<String, Set<String>> truth = new HashMap<>();
    Map<String, Set<String>> train = new HashMap<>();
    for (int p = 1; p <= PERSONS; p++) {
      train.put("pr-p" + p, new HashSet<>(List.of(item(p), item(p + 1), item(p + 2))));
      truth.put("pr-p" + p, Set.of(item(p + 3)));
    }
    check(EvalProtocol.TEMPORAL, 0, Instant.parse("2020-03-01T00:00:00Z"), truth, train);
  }

  @Test
  void leaveLastOutHoldsOutEachCustomersAprilOrder() throws Exception {
    Map<String, Set<String>> truth = new HashMap<>();
    Map<String, Set<String>> train = new HashMap<>();
    for (int p = 1; p <= PERSONS; p++) {
      train.put("pr-p" + p, new HashSet<>(List.of(item(p), item(p + 1), item(p + 2))));
      truth.put("pr-p" + p, Set.of(item(p + 3))); // item(p), in the April order too, was bought in January
    }
    check(EvalProtocol.LEAVE_LAST_OUT, 0, Instant.parse("2020-06-01T00:00:00Z"), truth, train);
  }

  @Test
  void randomHoldsOutOneOfFourItemsPerCustomerBySeed() throws Exception {
    Instant cutoff = Instant.parse("2020-06-01T00:00:00Z");
    Map<String, Set<String>> first;
    try (RecEvaluator.Split s = evaluator.split(EvalProtocol.RANDOM, 7, cutoff, cutoff, evaluator.settings())) {
      first = evaluator.truth(s);
    }
    assertEquals(PERSONS, first.size(), first.toString());
    Map<String, Set<String>> train = new HashMap<>();
    for (int p = 1; p <= PERSONS; p++) {
      Set<String> all = new HashSet<>(List.of(item(p), item(p + 1), item(p + 2), item(p + 3)));
      Set<String> held = first.get("pr-p" + p);
      assertEquals(1, held.size(), "max(1, floor(4/5)) = 1 item held out: " + held);
      assertTrue(all.containsAll(held), held + " not among " + all);
      all.removeAll(held);
      train.put("pr-p" + p, all);
    }
    // check() splits again with seed 7 and asserts the same items to find: the seed decides the holdout
    check(EvalProtocol.RANDOM, 7, cutoff, first, train);
    Map<String, Set<String>> other;
    try (RecEvaluator.Split s = evaluator.split(EvalProtocol.RANDOM, 8, cutoff, cutoff, evaluator.settings())) {
      other = evaluator.truth(s);
    }
    assertNotEquals(first, other, "another seed holds out other items");
  }

  @Test
  void tuningCarvesItsValidationSliceOutOfTheTrainingSideWithTheSameProtocol() throws Exception {
    Instant cutoff = Instant.parse("2020-06-01T00:00:00Z");
    // random: the validation holdout (seed 7 + 1) takes one of the three training items of each customer, none
    // of the held-out test items
    try (RecEvaluator.Split outer = evaluator.materializeSplit(EvalProtocol.RANDOM, 7, cutoff, cutoff,
        TrainingData.WAREHOUSE, "eval_");
         RecEvaluator.Split val = evaluator.materializeSplit(EvalProtocol.RANDOM, BlendTuner.validationSeed(7), cutoff,
             cutoff, outer.data, "val_")) {
      Map<String, Set<String>> test = evaluator.truth(outer);
      Map<String, Set<String>> validation = evaluator.truth(val);
      assertEquals(PERSONS, validation.size(), validation.toString());
      for (int p = 1; p <= PERSONS; p++) {
        Set<String> trainItems = new HashSet<>(List.of(item(p), item(p + 1), item(p + 2), item(p + 3)));
        trainItems.removeAll(test.get("pr-p" + p));
        Set<String> v = validation.get("pr-p" + p);
        assertEquals(1, v.size(), "max(1, floor(3/5)) = 1 of the 3 training items: " + v);
        assertTrue(trainItems.containsAll(v), v + " not among the training items " + trainItems);
      }
    }
    // leave-last-out: the test holds out April, the validation slice then holds out February, whose item is
    // new to each customer; the evaluation is tuned on that slice and the tuned blend is at least every source
    // alone on it (the grid starts from the trained source alone)
    try (RecEvaluator.Split outer = evaluator.materializeSplit(EvalProtocol.LEAVE_LAST_OUT, 0, cutoff, cutoff,
        TrainingData.WAREHOUSE, "eval_");
         RecEvaluator.Split val = evaluator.materializeSplit(EvalProtocol.LEAVE_LAST_OUT, 0, cutoff, cutoff,
             outer.data, "val_")) {
      Map<String, Set<String>> want = new HashMap<>();
      for (int p = 1; p <= PERSONS; p++) {
        want.put("pr-p" + p, Set.of(item(p + 2)));
      }
      assertEquals(want, evaluator.truth(val), "the February orders");
    }
    RecEvaluator.TunedEvaluation te = evaluator.evaluateTuned(EvalProtocol.LEAVE_LAST_OUT, 0, cutoff, cutoff, K,
        METHODS, new double[] {1.0});
    BlendTuner.Tuned t = te.tuning();
    assertTrue(t.slice().contains("training lines"), t.slice());
    assertEquals(PERSONS, t.persons(), t.toString());
    assertTrue(!t.alone().isEmpty(), t.toString());
    for (BlendTuner.Point p : t.alone()) {
      assertTrue(t.after().recall() + t.after().ndcg() >= p.recall() + p.ndcg() - 1e-12, p + " beats " + t);
    }
    assertEquals(METHODS, te.results().stream().map(RecEvaluator.Result::method).toList());
    assertEquals(PERSONS, te.results().get(0).persons(), te.results().toString());
  }

  @Test
  void theServersDefaultWeightsAreTheNewestTemporalTuningsUnlessConfigured() throws Exception {
    dev.lode.config.LodeConfig config = TestWarehouse.config();
    // no temporal tuning yet (the other tuning here is on leave-last-out): the defaults stay
    RecommendSettings untouched = RecommendSettings.from(TunedWeights.apply(warehouse, config));
    assertEquals(RecommendSettings.from(config).weights(), untouched.weights());
    assertEquals("defaults", untouched.weightsFrom());
    BlendTuner.Tuned t = new BlendTuner(warehouse, evaluator.settings()).tune(Instant.parse("2020-03-01T00:00:00Z"),
        Instant.parse("2020-06-01T00:00:00Z"), K, new double[] {1.0, 5.0});
    // a configured weight wins over the tuning; every other weight and EASE's penalty are the tuning's
    RecommendSettings served = RecommendSettings.from(TunedWeights.apply(warehouse,
        config.with("lode.recommend.weight.basket", "0.7")));
    for (Source s : Source.values()) {
      double want = s == Source.BASKET ? 0.7 : t.weights().get(s);
      assertEquals(want, served.weight(s), 1e-12, s + " in " + served.weights() + ", tuned " + t.weights());
    }
    assertEquals(t.lambda(), served.ease().lambda(), 1e-12);
    assertTrue(served.weightsFrom().startsWith("tuned ") && served.weightsFrom().contains(t.slice())
        && served.weightsFrom().endsWith("configured: basket"), served.weightsFrom());
    // a build records the weights it serves with
    new ModelBuilder(warehouse, served).build("tw_check", Instant.parse("2020-06-01T00:00:00Z"), true);
    try (Connection c = warehouse.connect(); Statement st = c.createStatement();
         java.sql.ResultSet rs = st.executeQuery("SELECT weights FROM rec_models WHERE model = 'tw_check'")) {
      assertTrue(rs.next());
      assertEquals(served.describeWeights(), rs.getString(1));
    } finally {
      new ModelBuilder(warehouse, served).drop("tw_check");
    }
  }

  /** Reads the split's truth and each method's lists, and compares rec_eval's figures with the ones computed here. */
  private static void check(EvalProtocol protocol, long seed, Instant cutoff, Map<String, Set<String>> truth,
                            Map<String, Set<String>> train) throws Exception {
    Instant end = Instant.parse("2020-06-01T00:00:00Z");
    try (RecEvaluator.Split s = evaluator.split(protocol, seed, cutoff, end, evaluator.settings())) {
      assertEquals(truth, evaluator.truth(s), protocol + ": the items to find");
      Set<String> trainItems = new HashSet<>();
      train.values().forEach(trainItems::addAll);
      for (String m : METHODS) {
        Map<String, List<String>> lists = evaluator.ranked(s, m, K);
        double precision = 0;
        double recall = 0;
        double ndcg = 0;
        double hit = 0;
        Set<String> shown = new HashSet<>();
        for (Map.Entry<String, Set<String>> t : truth.entrySet()) {
          List<String> ranked = lists.getOrDefault(t.getKey(), List.of());
          assertTrue(ranked.size() <= K, ranked.toString());
          int hits = 0;
          double dcg = 0;
          for (int r = 0; r < ranked.size(); r++) {
            assertTrue(!train.get(t.getKey()).contains(ranked.get(r)), m + " recommends a training item: " + ranked);
            shown.add(ranked.get(r));
            if (t.getValue().contains(ranked.get(r))) {
              hits++;
              dcg += Math.log(2) / Math.log(r + 2);
            }
          }
          double idcg = 0;
          for (int r = 0; r < Math.min(K, t.getValue().size()); r++) {
            idcg += Math.log(2) / Math.log(r + 2);
          }
          precision += hits / (double) K;
          recall += hits / (double) t.getValue().size();
          ndcg += dcg / idcg;
          hit += hits > 0 ? 1 : 0;
        }
        int n = truth.size();
        RecEvaluator.Result r = evaluator.evaluateOne(s, m, K);
        String what = protocol + " " + m + " " + r;
        assertEquals(n, r.persons(), what);
        assertEquals(precision / n, r.precision(), 1e-9, what);
        assertEquals(recall / n, r.recall(), 1e-9, what);
        assertEquals(ndcg / n, r.ndcg(), 1e-9, what);
        assertEquals(hit / n, r.hitRate(), 1e-9, what);
        assertEquals(shown.size() / (double) trainItems.size(), r.coverage(), 1e-9, what);
        assertTrue(r.recall() > 0, "the fixture's pattern is learnable: " + what);
      }
    }
  }
}
