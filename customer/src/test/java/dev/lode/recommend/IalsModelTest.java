package dev.lode.recommend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lode.testing.TestWarehouse;
import dev.lode.warehouse.Warehouse;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Implicit ALS against a direct computation written here: the full normal equations over every
 * person × item cell (no YᵀY shortcut), solved by Gaussian elimination on plain arrays, for one sweep
 * from the same start; a planted two-group matrix whose missing item it must find; and a model build
 * whose stored lists are compared with the top items by dot product of the stored factors, computed
 * natively in ClickHouse, and served by recommend().
 */
class IalsModelTest {
  /** Two groups of customers: the first buys from items 0–3, the second from 4–7; each misses one of its group's items. */
  private static final int[][] BOUGHT = {
      {0, 1, 2}, {0, 1, 3}, {0, 2, 3}, {1, 2, 3}, {0, 1, 2}, {0, 1, 3},
      {4, 5, 6}, {4, 5, 7}, {4, 6, 7}, {5, 6, 7}, {4, 5, 6}, {4, 6, 7}};
  private static final int ITEMS = 8;

  @Test
  void oneSweepEqualsTheFullNormalEquationsSolvedByHand() {
    IalsModel.Params p = new IalsModel.Params(3, 0.5, 4.0, 1, 7);
    int[][] pairs = pairs();
    IalsModel m = IalsModel.fit(BOUGHT.length, ITEMS, pairs[0], pairs[1], p);
    // the same start as the model: item factors N(0, 0.01²) from the seeded generator, row by row
    SplittableRandom rnd = new SplittableRandom(p.seed());
    double[][] y0 = new double[ITEMS][p.factors()];
    for (double[] row : y0) {
      for (int d = 0; d < row.length; d++) {
        row[d] = rnd.nextGaussian() * 0.01;
      }
    }
    double[][] x1 = solveAll(y0, true, p);
    double[][] y1 = solveAll(x1, false, p);
    for (int u = 0; u < BOUGHT.length; u++) {
      double[] got = m.personFactors(u);
      for (int d = 0; d < p.factors(); d++) {
        assertEquals(x1[u][d], got[d], 1e-10 + 1e-8 * Math.abs(x1[u][d]), "x[" + u + "][" + d + "]");
      }
    }
    for (int i = 0; i < ITEMS; i++) {
      double[] got = m.itemFactors(i);
      for (int d = 0; d < p.factors(); d++) {
        assertEquals(y1[i][d], got[d], 1e-10 + 1e-8 * Math.abs(y1[i][d]), "y[" + i + "][" + d + "]");
      }
    }
  }

  @Test
  void findsEachCustomersMissingItemOfTheirGroup() {
    int[][] pairs = pairs();
    IalsModel m = IalsModel.fit(BOUGHT.length, ITEMS, pairs[0], pairs[1], new IalsModel.Params(2, 1.0, 10, 15, 3));
    Map<Integer, int[]> tops = new HashMap<>();
    m.top(3, (u, items, scores) -> {
      tops.put(u, items);
      for (int j = 1; j < scores.length; j++) {
        assertTrue(scores[j - 1] >= scores[j], "best first");
      }
      for (int j = 0; j < items.length; j++) {
        assertEquals(m.score(u, items[j]), scores[j], 1e-12);
      }
    });
    assertEquals(BOUGHT.length, tops.size());
    for (int u = 0; u < BOUGHT.length; u++) {
      int base = u < 6 ? 0 : 4;
      int missing = base;
      while (contains(BOUGHT[u], missing)) {
        missing++;
      }
      assertEquals(missing, tops.get(u)[0], "customer " + u + " should get " + missing);
      for (int i : tops.get(u)) {
        assertTrue(!contains(BOUGHT[u], i), "a bought item is left out: " + i);
      }
    }
  }

  @Test
  void aBuildStoresFactorsAndListsThatRecommendServes() throws Exception {
    Warehouse w = TestWarehouse.isolated("ials");
    StringBuilder v = new StringBuilder();
    for (int c = 0; c < BOUGHT.length; c++) {
      for (int i : BOUGHT[c]) {
        v.append(",('ia-o").append(c).append("', ").append(i + 1).append(", 'ia-p").append(c).append("', 'ia-p")
            .append(c).append("', toDateTime64('2024-03-0").append(1 + c % 9).append(" 10:00:00', 3, 'UTC'), 'ia-")
            .append(i).append("', 1, 1, 'completed', 't', now64(3))");
      }
    }
    try (Connection c = w.connect(); Statement st = c.createStatement()) {
      st.execute("INSERT INTO order_lines (order_id, line_no, customer_key, person_id, order_time, item_id, quantity,"
          + " unit_price, status, source, loaded_at) VALUES " + v.substring(1));
      st.execute("INSERT INTO consents (id_type, id_value, person_id, purpose, granted, recorded_at, source) VALUES"
          + " ('user_id', 'ia-p7', 'ia-p7', 'personalization', 1, now64(3), 't')");
    }
    int keep = 3;
    RecommendSettings s = RecommendSettings.from(TestWarehouse.config())
        .withTrainer(RecommendSettings.Trainer.IALS)
        .withIals(new RecommendSettings.Ials(2, 1.0, 10, 15, keep, 1000));
    ModelBuilder.Build build = new ModelBuilder(w, s).build(Recommender.LIVE, Instant.parse("2024-06-01T00:00:00Z"), true);
    assertTrue(build.training().trainer().startsWith("ials"), build.toString());
    assertEquals(ITEMS, build.training().items(), build.toString());
    assertEquals(BOUGHT.length, build.training().persons(), build.toString());
    String gen = "model = 'live' AND generation = " + build.generation();
    // every (person, item not bought) scored by ClickHouse from the stored factors: the stored list must be the
    // person's best `keep` of them (up to float rounding between near-equal scores) with the same scores
    Map<String, Map<String, Double>> dot = new HashMap<>();
    Map<String, Map<String, Double>> stored = new HashMap<>();
    try (Connection c = w.connect(); Statement st = c.createStatement()) {
      try (ResultSet rs = st.executeQuery("SELECT p.id, i.id, arraySum(arrayMap((a, b) -> toFloat64(a) * b, p.factors,"
          + " i.factors)) FROM (SELECT id, factors FROM rec_factors WHERE " + gen + " AND side = 'person') p"
          + " CROSS JOIN (SELECT id, factors FROM rec_factors WHERE " + gen + " AND side = 'item') i"
          + " WHERE (p.id, i.id) NOT IN (SELECT person_id, item_id FROM order_lines)")) {
        while (rs.next()) {
          dot.computeIfAbsent(rs.getString(1), x -> new HashMap<>()).put(rs.getString(2), rs.getDouble(3));
        }
      }
      try (ResultSet rs = st.executeQuery("SELECT person_id, item_id, score FROM rec_person_items WHERE " + gen
          + " AND kind = 'ials'")) {
        while (rs.next()) {
          stored.computeIfAbsent(rs.getString(1), x -> new HashMap<>()).put(rs.getString(2), rs.getDouble(3));
        }
      }
    }
    assertEquals(BOUGHT.length, dot.size());
    assertEquals(dot.keySet(), stored.keySet());
    for (Map.Entry<String, Map<String, Double>> e : stored.entrySet()) {
      Map<String, Double> all = dot.get(e.getKey());
      assertEquals(keep, e.getValue().size(), e.toString());
      double worstKept = Double.MAX_VALUE;
      for (Map.Entry<String, Double> kept : e.getValue().entrySet()) {
        assertTrue(all.containsKey(kept.getKey()), "a bought item is listed: " + e);
        assertEquals(all.get(kept.getKey()), kept.getValue(), 1e-5, e.toString());
        worstKept = Math.min(worstKept, all.get(kept.getKey()));
      }
      for (Map.Entry<String, Double> other : all.entrySet()) {
        if (!e.getValue().containsKey(other.getKey())) {
          assertTrue(other.getValue() <= worstKept + 1e-5, "left out but better: " + other + " in " + e);
        }
      }
    }
    // recommend() for a consenting customer, the trained source alone: their stored list, scores / best
    Map<Source, Double> only = new EnumMap<>(Source.class);
    for (Source x : Source.values()) {
      only.put(x, x == Source.IALS ? 1.0 : 0.0);
    }
    Recommender r = new Recommender(w, s.withWeights(only), Clock.fixed(Instant.parse("2024-06-01T00:00:00Z"),
        ZoneOffset.UTC));
    List<Recommendation> recs = r.recommend("ia-p7", 5, RecContext.NONE);
    Map<String, Double> want = new HashMap<>();
    double best = stored.get("ia-p7").values().stream().mapToDouble(Double::doubleValue).max().orElseThrow();
    stored.get("ia-p7").forEach((item, sc) -> {
      if (sc > 0) {
        want.put(item, sc / best);
      }
    });
    assertEquals(want.keySet(), recs.stream().map(Recommendation::itemId).collect(java.util.stream.Collectors.toSet()),
        recs.toString());
    for (Recommendation rec : recs) {
      assertEquals(want.get(rec.itemId()), rec.score(), 1e-5, rec.toString());
      assertEquals("ials", rec.source(), rec.toString());
      assertTrue(rec.reason().startsWith("learned from customers whose purchases are like yours"), rec.reason());
    }
    assertEquals("ia-6", recs.get(0).itemId(), "customer 7 bought 4, 5, 7 of group 4–7: " + recs);
    // the blend tuner on a catalog trained by iALS: it trains iALS on a random validation holdout of the same
    // purchases, tunes the other weights around it (the pivot, 1) and never does worse than the configured weights
    Instant cutoff = Instant.parse("2024-06-01T00:00:00Z");
    // its λ x α grid picks iALS's hyper-parameters on the slice (no EASE grid on an iALS catalog)
    BlendTuner.Tuned t = new BlendTuner(w, s).withIalsGrid(new double[] {1, 10}, new double[] {3, 10})
        .tune(EvalProtocol.RANDOM, cutoff, cutoff, 20, new double[] {50});
    assertEquals(1.0, t.weights().get(Source.IALS), t.toString());
    assertTrue(!t.untuned().contains(Source.IALS), "iALS had lists on the slice: " + t);
    assertEquals(List.of("ials lambda=1.0 alpha=3.0", "ials lambda=1.0 alpha=10.0", "ials lambda=10.0 alpha=3.0",
        "ials lambda=10.0 alpha=10.0"), t.lambdas().stream().map(BlendTuner.Point::what).toList(), t.toString());
    BlendTuner.Point chosen = t.lambdas().stream()
        .filter(p -> p.what().equals("ials lambda=" + t.settings().ials().lambda() + " alpha=" + t.settings().ials().alpha()))
        .findFirst().orElseThrow(() -> new AssertionError("the chosen point is on the grid: " + t));
    for (BlendTuner.Point p : t.lambdas()) {
      assertTrue(chosen.recall() + chosen.ndcg() >= p.recall() + p.ndcg(), "the best grid point is chosen: " + t);
    }
    assertEquals(s.ials().factors(), t.settings().ials().factors(), "factors and sweeps are not in the grid");
    assertTrue(t.after().recall() + t.after().ndcg() >= t.before().recall() + t.before().ndcg() - 1e-12, t.toString());
    assertTrue(t.after().recall() > 0, "the held-out items of the groups are found: " + t);
  }

  /** The fixture as index pairs. */
  private static int[][] pairs() {
    List<int[]> l = new ArrayList<>();
    for (int u = 0; u < BOUGHT.length; u++) {
      for (int i : BOUGHT[u]) {
        l.add(new int[] {u, i});
      }
    }
    return new int[][] {l.stream().mapToInt(a -> a[0]).toArray(), l.stream().mapToInt(a -> a[1]).toArray()};
  }

  /**
   * Every row's solve with the other side fixed, from the full cost: Σ over ALL columns j of
   * c_rj f_j f_jᵀ + λI, right side Σ_j c_rj p_rj f_j, with c = 1 + α for a purchase, 1 otherwise.
   */
  private static double[][] solveAll(double[][] fixed, boolean persons, IalsModel.Params p) {
    int rows = persons ? BOUGHT.length : ITEMS;
    int k = p.factors();
    double[][] out = new double[rows][];
    for (int r = 0; r < rows; r++) {
      double[][] a = new double[k][k + 1];
      for (int j = 0; j < fixed.length; j++) {
        boolean bought = persons ? contains(BOUGHT[r], j) : contains(BOUGHT[j], r);
        double c = bought ? 1 + p.alpha() : 1;
        for (int d = 0; d < k; d++) {
          for (int e = 0; e < k; e++) {
            a[d][e] += c * fixed[j][d] * fixed[j][e];
          }
          a[d][k] += bought ? c * fixed[j][d] : 0;
        }
      }
      for (int d = 0; d < k; d++) {
        a[d][d] += p.lambda();
      }
      out[r] = gauss(a);
    }
    return out;
  }

  /** Solves the augmented k × (k+1) system by Gaussian elimination with partial pivoting. */
  private static double[] gauss(double[][] a) {
    int n = a.length;
    for (int col = 0; col < n; col++) {
      int pivot = col;
      for (int r = col + 1; r < n; r++) {
        if (Math.abs(a[r][col]) > Math.abs(a[pivot][col])) {
          pivot = r;
        }
      }
      double[] t = a[col];
      a[col] = a[pivot];
      a[pivot] = t;
      for (int r = col + 1; r < n; r++) {
        double f = a[r][col] / a[col][col];
        for (int j = col; j <= n; j++) {
          a[r][j] -= f * a[col][j];
        }
      }
    }
    double[] x = new double[n];
    for (int r = n - 1; r >= 0; r--) {
      double s = a[r][n];
      for (int j = r + 1; j < n; j++) {
        s -= a[r][j] * x[j];
      }
      x[r] = s / a[r][r];
    }
    return x;
  }

  private static boolean contains(int[] a, int v) {
    for (int x : a) {
      if (x == v) {
        return true;
      }
    }
    return false;
  }
}
