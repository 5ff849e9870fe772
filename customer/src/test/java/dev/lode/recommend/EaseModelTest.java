package dev.lode.recommend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lode.testing.TestWarehouse;
import dev.lode.warehouse.Warehouse;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The trained EASE source against the closed form computed here with plain arrays (Gauss–Jordan
 * inversion, no library): the fitted weights, the rows a model build writes to ClickHouse
 * (strongest positive weights per item, with the co-buyer counts), and recommend() using them.
 */
class EaseModelTest {
  /** Who bought what in the fixture: five customers, four items. */
  private static final int[][] BOUGHT = {{0, 1, 2}, {0, 1}, {1, 2, 3}, {2, 3}, {0, 3}};
  private static final String[] ITEMS = {"ez-a", "ez-b", "ez-c", "ez-d"};

  @Test
  void fitEqualsTheClosedFormOnPlainArrays() {
    double lambda = 0.7;
    List<Integer> cs = new ArrayList<>();
    List<Integer> is = new ArrayList<>();
    for (int c = 0; c < BOUGHT.length; c++) {
      for (int i : BOUGHT[c]) {
        cs.add(c);
        is.add(i);
      }
    }
    EaseModel m = EaseModel.fit(BOUGHT.length, ITEMS.length, cs.stream().mapToInt(x -> x).toArray(),
        is.stream().mapToInt(x -> x).toArray(), lambda);
    double[][] b = closedForm(lambda);
    for (int i = 0; i < ITEMS.length; i++) {
      for (int j = 0; j < ITEMS.length; j++) {
        assertEquals(b[i][j], m.weight(i, j), 1e-9, "B[" + i + "][" + j + "]");
        assertEquals(gram()[i][j], m.together(i, j), "together " + i + "," + j);
      }
    }
    // the weights are not trivially zero: a, b and c are bought together, so a predicts b
    assertTrue(b[0][1] > 0.05, "B[a][b] = " + b[0][1]);
    // scoring a customer is the sum of their items' rows
    double[] scores = new double[ITEMS.length];
    m.addRow(0, scores);
    m.addRow(3, scores);
    assertEquals(b[0][2] + b[3][2], scores[2], 1e-12);
  }

  @Test
  void aBuildWritesTheStrongestPositiveWeightsAndRecommendUsesThem() throws Exception {
    Warehouse w = TestWarehouse.isolated("ease");
    StringBuilder v = new StringBuilder();
    for (int c = 0; c < BOUGHT.length; c++) {
      for (int i : BOUGHT[c]) {
        v.append(",('ez-o").append(c).append("', ").append(i + 1).append(", 'ez-p").append(c).append("', 'ez-p")
            .append(c).append("', toDateTime64('2024-03-0").append(c + 1).append(" 10:00:00', 3, 'UTC'), '")
            .append(ITEMS[i]).append("', 1, 1, 'completed', 't', now64(3))");
      }
    }
    try (Connection c = w.connect(); Statement st = c.createStatement()) {
      st.execute("INSERT INTO order_lines (order_id, line_no, customer_key, person_id, order_time, item_id, quantity,"
          + " unit_price, status, source, loaded_at) VALUES " + v.substring(1));
    }
    double lambda = 0.7;
    int keep = 2;
    RecommendSettings s = RecommendSettings.from(TestWarehouse.config()).withEase(new RecommendSettings.Ease(lambda, 100, keep));
    ModelBuilder.Build build = new ModelBuilder(w, s).build(Recommender.LIVE, Instant.parse("2024-06-01T00:00:00Z"), true);
    assertEquals(ITEMS.length, build.training().items(), build.toString());
    assertEquals(BOUGHT.length, build.training().persons(), build.toString());
    double[][] b = closedForm(lambda);
    int[][] g = gram();
    Map<String, Double> expected = new HashMap<>();
    for (int i = 0; i < ITEMS.length; i++) {
      // the `keep` largest positive weights of row i, by hand
      List<Integer> order = new ArrayList<>();
      for (int j = 0; j < ITEMS.length; j++) {
        if (j != i && b[i][j] > 0) {
          order.add(j);
        }
      }
      final int row = i;
      order.sort((x, y) -> Double.compare(b[row][y], b[row][x]));
      for (int j : order.subList(0, Math.min(keep, order.size()))) {
        expected.put(ITEMS[i] + ">" + ITEMS[j] + ":" + g[i][j], b[i][j]);
      }
    }
    Map<String, Double> stored = new HashMap<>();
    try (Connection c = w.connect(); Statement st = c.createStatement();
         ResultSet rs = st.executeQuery("SELECT item_id, neighbor_id, together, similarity FROM rec_item_neighbors"
             + " WHERE model = 'live' AND generation = " + build.generation() + " AND kind = 'ease'")) {
      while (rs.next()) {
        stored.put(rs.getString(1) + ">" + rs.getString(2) + ":" + rs.getInt(3), rs.getDouble(4));
      }
    }
    assertEquals(expected.keySet(), stored.keySet());
    for (Map.Entry<String, Double> e : expected.entrySet()) {
      assertEquals(e.getValue(), stored.get(e.getKey()), 1e-6, e.getKey()); // stored as Float32
    }
    // a person who bought a and d gets the EASE source, scored sum over {a, d} of B[i][j]
    try (Connection c = w.connect(); Statement st = c.createStatement()) {
      st.execute("INSERT INTO order_lines (order_id, line_no, customer_key, person_id, order_time, item_id, quantity,"
          + " unit_price, status, source, loaded_at) VALUES ('ez-q', 1, 'ez-q', 'ez-q', toDateTime64('2024-03-10 10:00:00',"
          + " 3, 'UTC'), 'ez-a', 1, 1, 'completed', 't', now64(3)), ('ez-q', 2, 'ez-q', 'ez-q',"
          + " toDateTime64('2024-03-10 10:00:00', 3, 'UTC'), 'ez-d', 1, 1, 'completed', 't', now64(3))");
      st.execute("INSERT INTO consents (id_type, id_value, person_id, purpose, granted, recorded_at, source) VALUES"
          + " ('user_id', 'ez-q', 'ez-q', 'personalization', 1, now64(3), 't')");
    }
    // expected: raw_j = sum over the person's items i of the stored B[i][j] (equal purchase weights: same day),
    // divided by the best raw over every candidate, bought ones included (the blend normalises before excluding)
    double[] raw = new double[ITEMS.length];
    for (int i : new int[] {0, 3}) {
      for (int j = 0; j < ITEMS.length; j++) {
        if (expected.containsKey(ITEMS[i] + ">" + ITEMS[j] + ":" + g[i][j])) {
          raw[j] += b[i][j];
        }
      }
    }
    double best = java.util.Arrays.stream(raw).max().orElseThrow();
    Map<String, Double> expectedScores = new HashMap<>();
    for (int j : new int[] {1, 2}) {
      if (raw[j] > 0) {
        expectedScores.put(ITEMS[j], raw[j] / best);
      }
    }
    Map<Source, Double> only = new java.util.EnumMap<>(Source.class);
    for (Source x : Source.values()) {
      only.put(x, x == Source.EASE ? 1.0 : 0.0);
    }
    Recommender r = new Recommender(w, s.withWeights(only), java.time.Clock.fixed(Instant.parse("2024-06-01T00:00:00Z"),
        java.time.ZoneOffset.UTC));
    List<Recommendation> recs = r.recommend("ez-q", 5, RecContext.NONE);
    assertEquals(expectedScores.keySet(), recs.stream().map(Recommendation::itemId).collect(
        java.util.stream.Collectors.toSet()), recs.toString());
    assertTrue(!recs.isEmpty(), "no EASE recommendation");
    for (Recommendation rec : recs) {
      assertEquals(expectedScores.get(rec.itemId()), rec.score(), 1e-5, rec.toString());
      assertEquals("ease", rec.source(), rec.toString());
      assertTrue(rec.reason().startsWith("learned from customers whose purchases are like yours"), rec.reason());
      assertTrue(!rec.itemId().equals("ez-a") && !rec.itemId().equals("ez-d"), "bought items are excluded: " + rec);
    }
  }

  /** B = I − P·diag(1/diag(P)), P = (XᵀX + λI)⁻¹, by Gauss–Jordan elimination on plain arrays. */
  private static double[][] closedForm(double lambda) {
    int n = ITEMS.length;
    int[][] g = gram();
    double[][] a = new double[n][2 * n];
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < n; j++) {
        a[i][j] = g[i][j] + (i == j ? lambda : 0);
      }
      a[i][n + i] = 1;
    }
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
      double d = a[col][col];
      for (int j = 0; j < 2 * n; j++) {
        a[col][j] /= d;
      }
      for (int r = 0; r < n; r++) {
        if (r != col) {
          double f = a[r][col];
          for (int j = 0; j < 2 * n; j++) {
            a[r][j] -= f * a[col][j];
          }
        }
      }
    }
    double[][] b = new double[n][n];
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < n; j++) {
        b[i][j] = i == j ? 0 : -a[i][n + j] / a[j][n + j];
      }
    }
    return b;
  }

  /** XᵀX: customers who bought both items. */
  private static int[][] gram() {
    int n = ITEMS.length;
    int[][] g = new int[n][n];
    for (int[] basket : BOUGHT) {
      for (int i : basket) {
        for (int j : basket) {
          g[i][j]++;
        }
      }
    }
    return g;
  }
}
