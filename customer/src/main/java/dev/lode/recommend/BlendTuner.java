package dev.lode.recommend;

import dev.lode.hash.Sha256;
import dev.lode.warehouse.Warehouse;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Tunes the blend on a validation slice of the training data (a split inside it, never the test
 * data): the trained source the catalog calls for — EASE, with its L2 penalty chosen by a grid (fitted
 * and scored in the JVM per value), or implicit ALS with its penalty and confidence chosen the same way from a
 * small λ × α grid ({@link #withIalsGrid}) — then the source weights by coordinate ascent over a grid, the trained source
 * being the fixed pivot, on each source's own top lists for the validation persons; the objective is
 * recall@k + NDCG@k. Sources with no candidate on the slice keep their configured weight. Every run is
 * recorded in {@code rec_tunings} ({@link TunedWeights}).
 */
public final class BlendTuner {
  /** The weights tried for each source (the trained source's weight is fixed at 1: only ratios matter). */
  static final double[] WEIGHT_GRID = {0, 0.02, 0.05, 0.1, 0.2, 0.3, 0.5, 0.75, 1, 1.5, 2, 3};
  /** Each source's list length read for blending in the JVM. */
  static final int CANDIDATES = 100;
  static final int ROUNDS = 3;
  /**
   * At most this many validation persons are scored (a fixed hash sample): each source's lists are one
   * batch query over them, and the tuning's cost grows with their number, its precision hardly past this.
   */
  static final int MAX_PERSONS = 800;

  /** Implicit ALS's penalties and confidences tried on the validation slice of a catalog above EASE's cap. */
  static final double[] IALS_LAMBDAS = {1, 10, 50};
  static final double[] IALS_ALPHAS = {3, 10, 30};

  private final Warehouse warehouse;
  private final RecommendSettings settings;
  private final double[] ialsLambdas;
  private final double[] ialsAlphas;

  public BlendTuner(Warehouse warehouse, RecommendSettings settings) {
    this(warehouse, settings, IALS_LAMBDAS, IALS_ALPHAS);
  }

  private BlendTuner(Warehouse warehouse, RecommendSettings settings, double[] ialsLambdas, double[] ialsAlphas) {
    this.warehouse = warehouse;
    this.settings = settings;
    this.ialsLambdas = ialsLambdas.clone();
    this.ialsAlphas = ialsAlphas.clone();
  }

  /**
   * The same tuner with another λ × α grid for implicit ALS (empty keeps the configured ones, e.g. when
   * {@link IalsTuner} chose them already).
   */
  public BlendTuner withIalsGrid(double[] lambdas, double[] alphas) {
    return new BlendTuner(warehouse, settings, lambdas, alphas);
  }

  /** One grid point's figures on the validation slice. */
  public record Point(String what, double recall, double ndcg) {
  }

  /**
   * What tuning chose, and the figures it chose by: the validation slice ({@code slice}, in words), the
   * trained source's penalty grid, the weights, the blend on the slice with the configured and the chosen
   * weights, and each source alone on it.
   */
  public record Tuned(RecommendSettings settings, String slice, double lambda, List<Point> lambdas,
                      Map<Source, Double> weights, Point before, Point after, List<Point> alone, List<Source> untuned,
                      long persons, long millis) {
  }

  /** Tunes on train < {@code cutoff} ≤ validation < {@code end} with the penalties {@code lambdas}. */
  public Tuned tune(Instant cutoff, Instant end, int k, double[] lambdas) throws SQLException {
    return tune(EvalProtocol.TEMPORAL, cutoff, end, k, lambdas);
  }

  /**
   * Tunes on a validation split of {@code protocol} (a holdout protocol holds out part of the purchases
   * before {@code cutoff}, for data without a time order such as a dataset's fixed training file).
   */
  public Tuned tune(EvalProtocol protocol, Instant cutoff, Instant end, int k, double[] lambdas) throws SQLException {
    return tune(protocol, RecEvaluator.DEFAULT_SEED, cutoff, end, TrainingData.WAREHOUSE, k, lambdas);
  }

  /**
   * The seed of the validation holdout carved out of a random split's training side with seed {@code seed}:
   * another seed, so the validation items are not the test items' hash neighbours.
   */
  static long validationSeed(long seed) {
    return seed + 1;
  }

  /**
   * The start of the validation slice of a temporal split train &lt; {@code cutoff} ≤ test &lt; {@code end}: the
   * slice is as long as the test period and ends at the cutoff.
   */
  public static Instant validationCutoff(Instant cutoff, Instant end) {
    return cutoff.minus(java.time.Duration.between(cutoff, end));
  }

  /**
   * Tunes for an evaluation of {@code protocol} whose split {@code outer} is materialised: the validation
   * slice is carved out of that split's training side with the same protocol — the temporal tail before
   * the cutoff as long as the test period, a random holdout (seed {@link #validationSeed}) of the training
   * lines, or each person's last order left in the training lines — so the test part is never seen.
   */
  Tuned tuneFor(EvalProtocol protocol, long seed, RecEvaluator.Split outer, Instant end, int k, double[] lambdas)
      throws SQLException {
    return switch (protocol) {
      case TEMPORAL -> tune(protocol, seed, validationCutoff(outer.asOf, end), outer.asOf, TrainingData.WAREHOUSE, k,
          lambdas);
      case RANDOM -> tune(protocol, validationSeed(seed), outer.asOf, outer.asOf, outer.data, k, lambdas);
      case LEAVE_LAST_OUT -> tune(protocol, seed, outer.asOf, outer.asOf, outer.data, k, lambdas);
    };
  }

  /** Tunes on a validation split of {@code protocol} made from {@code within}'s purchases before {@code cutoff}. */
  Tuned tune(EvalProtocol protocol, long seed, Instant cutoff, Instant end, TrainingData within, int k,
             double[] lambdas) throws SQLException {
    long t0 = System.nanoTime();
    RecEvaluator eval = new RecEvaluator(warehouse, settings);
    // the split's model without the trained source: it is trained below, once its penalty is chosen
    Map<Source, Double> noEase = new EnumMap<>(settings.weights());
    noEase.put(Source.EASE, 0.0);
    noEase.put(Source.IALS, 0.0);
    String slice = switch (protocol) {
      case TEMPORAL -> "temporal: train < " + cutoff + " <= validation < " + end;
      case RANDOM -> "random holdout (seed " + seed + ") of the " + (within.equals(TrainingData.WAREHOUSE)
          ? "purchases" : "training lines") + " before " + cutoff;
      case LEAVE_LAST_OUT -> "each person's last order of the " + (within.equals(TrainingData.WAREHOUSE)
          ? "purchases" : "training lines") + " before " + cutoff;
    };
    try (RecEvaluator.Split split = eval.materializeSplit(protocol, seed, cutoff, end, within, "val_")) {
      eval.build(split, settings.withWeights(noEase));
      Map<String, Set<String>> truth = sample(split, eval.truth(split));
      PurchaseMatrix m;
      Source trained;
      try (Connection c = warehouse.connect(); Statement st = c.createStatement()) {
        int easeMax = settings.ease().maxItems();
        m = PurchaseMatrix.read(st, split.data.lines(), cutoff,
            settings.trainer() == RecommendSettings.Trainer.EASE ? easeMax : Math.max(easeMax, settings.ials().maxItems()));
        trained = settings.trainer().choose(m.items().size(), easeMax) == RecommendSettings.Trainer.EASE
            ? Source.EASE : Source.IALS;
        if (trained == Source.EASE && m.items().size() > easeMax) {
          m = PurchaseMatrix.read(st, split.data.lines(), cutoff, easeMax);
        }
      }
      List<Point> grid = new ArrayList<>();
      // an empty grid keeps the configured penalty
      double best = trained == Source.IALS ? settings.ials().lambda() : settings.ease().lambda();
      double bestScore = -1;
      for (double lambda : trained == Source.EASE ? lambdas : new double[0]) {
        Point p = easeOnSlice(m, lambda, truth, k);
        grid.add(p);
        if (p.recall() + p.ndcg() > bestScore) {
          bestScore = p.recall() + p.ndcg();
          best = lambda;
        }
      }
      RecommendSettings.Ease ease = trained == Source.EASE ? settings.ease().withLambda(best) : settings.ease();
      // on a catalog above EASE's cap: implicit ALS's penalty and confidence from a small grid, each point fitted
      // on the slice's training purchases and scored on its validation items like EASE's penalties
      RecommendSettings.Ials ials = settings.ials();
      for (double lambda : trained == Source.IALS ? ialsLambdas : new double[0]) {
        for (double alpha : ialsAlphas) {
          Point p = ialsOnSlice(m, settings.ials().with(lambda, alpha), truth, k);
          grid.add(p);
          if (p.recall() + p.ndcg() > bestScore) {
            bestScore = p.recall() + p.ndcg();
            ials = settings.ials().with(lambda, alpha);
          }
        }
      }
      try (Connection c = warehouse.connect(); Statement st = c.createStatement();
           ResultSet rs = st.executeQuery("SELECT max(generation) FROM rec_models WHERE model = "
               + SqlBinder.quote(split.model))) {
        rs.next();
        TrainingClock clock = new TrainingClock();
        if (trained == Source.EASE) {
          new EaseTrainer(ease).train(c, m, split.model, rs.getLong(1), clock);
        } else {
          new IalsTrainer(ials).train(c, m, split.model, rs.getLong(1), clock);
        }
      }
      Map<Source, Map<String, Map<String, Double>>> lists = new EnumMap<>(Source.class);
      List<Source> untuned = new ArrayList<>();
      for (Source s : Source.values()) {
        if (s == Source.SIMILAR || (s == Source.EASE || s == Source.IALS) && s != trained) {
          continue; // similar needs a context item (evaluation has none); the other trained source was not trained
        }
        Map<String, Map<String, Double>> l = scores(eval, split, s);
        if (l.isEmpty()) {
          untuned.add(s);
        } else {
          lists.put(s, l);
        }
      }
      Map<Source, Double> w = new EnumMap<>(settings.weights());
      Point before = blendOnSlice(lists, w, truth, k);
      w.put(trained, 1.0);
      // the grid's start: the better of the configured weights and the trained source alone (the others 0),
      // so the ascent can only end at or above the trained source alone
      Map<Source, Double> alone = solo(w, lists.keySet(), trained);
      double score = objective(blendOnSlice(lists, w, truth, k));
      double aloneScore = objective(blendOnSlice(lists, alone, truth, k));
      if (aloneScore > score) {
        w = alone;
        score = aloneScore;
      }
      for (int round = 0; round < ROUNDS; round++) {
        boolean moved = false;
        for (Source s : lists.keySet()) {
          if (s == trained) {
            continue;
          }
          double keep = w.get(s);
          for (double g : WEIGHT_GRID) {
            w.put(s, g);
            double o = objective(blendOnSlice(lists, w, truth, k));
            if (o > score + 1e-12) {
              score = o;
              keep = g;
              moved = true;
            }
          }
          w.put(s, keep);
        }
        if (!moved) {
          break;
        }
      }
      // each source alone on the slice; should one beat the blend (the pivot cannot reach it), it is the choice
      List<Point> sources = new ArrayList<>();
      for (Source s : lists.keySet()) {
        Map<Source, Double> only = solo(w, lists.keySet(), s);
        Point p = blendOnSlice(lists, only, truth, k);
        sources.add(new Point(s.sqlName(), p.recall(), p.ndcg()));
        if (objective(p) > score + 1e-12) {
          score = objective(p);
          w = only;
        }
      }
      Point after = blendOnSlice(lists, w, truth, k);
      RecommendSettings tuned = settings.withWeights(w, "tuned on " + slice).withEase(ease).withIals(ials);
      Tuned out = new Tuned(tuned, slice, best, grid, Map.copyOf(w), before, after, sources, untuned, truth.size(),
          (System.nanoTime() - t0) / 1_000_000);
      // recorded: a server takes the newest temporal tuning's weights as its defaults (TunedWeights)
      try (Connection c = warehouse.connect()) {
        TunedWeights.record(c, protocol, out, trained, k);
      }
      return out;
    }
  }

  /** {@code w} with weight 1 for {@code source} and 0 for the other sources that have lists ({@code tuned}). */
  private static Map<Source, Double> solo(Map<Source, Double> w, Set<Source> tuned, Source source) {
    Map<Source, Double> out = new EnumMap<>(w);
    for (Source s : tuned) {
      out.put(s, s == source ? 1.0 : 0.0);
    }
    return out;
  }

  /** Keeps {@link #MAX_PERSONS} of the split's test persons (by a hash of their id), in the split's table too. */
  private Map<String, Set<String>> sample(RecEvaluator.Split split, Map<String, Set<String>> truth)
      throws SQLException {
    if (truth.size() <= MAX_PERSONS) {
      return truth;
    }
    List<String> ids = truth.keySet().stream()
        // a hash order, so the sample does not follow the ids' order
        .sorted(Comparator.comparing((String id) -> Sha256.hex(id)).thenComparing(id -> id))
        .limit(MAX_PERSONS).toList();
    StringBuilder in = new StringBuilder();
    for (String id : ids) {
      in.append(in.isEmpty() ? "" : ", ").append(SqlBinder.quote(id));
    }
    try (Connection c = warehouse.connect(); Statement st = c.createStatement()) {
      st.execute("ALTER TABLE " + split.model + "_truth DELETE WHERE person_id NOT IN (" + in
          + ") SETTINGS mutations_sync = 2");
    }
    Map<String, Set<String>> kept = new HashMap<>();
    ids.forEach(id -> kept.put(id, truth.get(id)));
    return kept;
  }

  private static double objective(Point p) {
    return p.recall() + p.ndcg();
  }

  /** EASE alone on the slice, scored in the JVM: binary history, the full weight matrix, bought items excluded. */
  static Point easeOnSlice(PurchaseMatrix m, double lambda, Map<String, Set<String>> truth, int k) {
    EaseModel model = m.fitEase(lambda);
    Map<Integer, List<Integer>> bought = new HashMap<>();
    for (int x = 0; x < m.pairs(); x++) {
      bought.computeIfAbsent(m.person()[x], p -> new ArrayList<>()).add(m.item()[x]);
    }
    Map<String, Integer> personIndex = new HashMap<>();
    for (int p = 0; p < m.persons().size(); p++) {
      personIndex.put(m.persons().get(p), p);
    }
    double recall = 0;
    double ndcg = 0;
    double[] scores = new double[model.items()];
    for (Map.Entry<String, Set<String>> t : truth.entrySet()) {
      Integer p = personIndex.get(t.getKey());
      List<String> ranked = new ArrayList<>();
      if (p != null) {
        java.util.Arrays.fill(scores, 0);
        List<Integer> mine = bought.get(p);
        for (int i : mine) {
          model.addRow(i, scores);
        }
        for (int i : mine) {
          scores[i] = Double.NEGATIVE_INFINITY;
        }
        ranked = top(scores, m.items(), k);
      }
      RankingMetrics r = RankingMetrics.of(ranked, t.getValue(), k);
      recall += r.recall();
      ndcg += r.ndcg();
    }
    return new Point("ease lambda=" + lambda, recall / truth.size(), ndcg / truth.size());
  }

  /** Implicit ALS alone on the slice, fitted on every training pair and scored in the JVM, bought items excluded. */
  static Point ialsOnSlice(PurchaseMatrix m, RecommendSettings.Ials ials, Map<String, Set<String>> truth, int k) {
    IalsModel model = IalsModel.fit(m.persons().size(), m.items().size(), m.person(), m.item(), ials.params());
    Map<String, Integer> personIndex = new HashMap<>();
    for (int p = 0; p < m.persons().size(); p++) {
      personIndex.put(m.persons().get(p), p);
    }
    Map<Integer, Set<String>> found = new HashMap<>();
    truth.forEach((id, items) -> {
      Integer p = personIndex.get(id);
      if (p != null) {
        found.put(p, items);
      }
    });
    double[] sum = new double[2];
    model.top(found.keySet().stream().mapToInt(Integer::intValue).sorted().toArray(), k, (u, top, scores) -> {
      List<String> ranked = new ArrayList<>(top.length);
      for (int i : top) {
        ranked.add(m.items().get(i));
      }
      RankingMetrics r = RankingMetrics.of(ranked, found.get(u), k);
      sum[0] += r.recall();
      sum[1] += r.ndcg();
    });
    // persons the slice's training side does not know are scored as empty lists, as EASE's are
    return new Point("ials lambda=" + ials.lambda() + " alpha=" + ials.alpha(), sum[0] / truth.size(),
        sum[1] / truth.size());
  }

  private static List<String> top(double[] scores, List<String> items, int k) {
    Integer[] idx = new Integer[scores.length];
    for (int i = 0; i < idx.length; i++) {
      idx[i] = i;
    }
    java.util.Arrays.sort(idx, Comparator.<Integer>comparingDouble(i -> -scores[i]).thenComparing(items::get));
    List<String> out = new ArrayList<>();
    for (int r = 0; r < Math.min(k, idx.length) && scores[idx[r]] > Double.NEGATIVE_INFINITY; r++) {
      out.add(items.get(idx[r]));
    }
    return out;
  }

  /** The blend of the sources' lists with weights {@code w}, as the blend query sums normalised scores. */
  static Point blendOnSlice(Map<Source, Map<String, Map<String, Double>>> lists, Map<Source, Double> w,
                            Map<String, Set<String>> truth, int k) {
    double recall = 0;
    double ndcg = 0;
    for (Map.Entry<String, Set<String>> t : truth.entrySet()) {
      Map<String, Double> blended = new HashMap<>();
      for (Map.Entry<Source, Map<String, Map<String, Double>>> s : lists.entrySet()) {
        double weight = w.getOrDefault(s.getKey(), 0.0);
        Map<String, Double> l = s.getValue().get(t.getKey());
        if (weight > 0 && l != null) {
          l.forEach((item, score) -> blended.merge(item, weight * score, Double::sum));
        }
      }
      List<String> ranked = blended.entrySet().stream()
          .sorted(Map.Entry.<String, Double>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()))
          .limit(k).map(Map.Entry::getKey).toList();
      RankingMetrics r = RankingMetrics.of(ranked, t.getValue(), k);
      recall += r.recall();
      ndcg += r.ndcg();
    }
    return new Point("blend " + new LinkedHashMap<>(w), recall / truth.size(), ndcg / truth.size());
  }

  /** Source {@code s} alone: each validation person's top {@link #CANDIDATES} with the source's normalised score. */
  private Map<String, Map<String, Double>> scores(RecEvaluator eval, RecEvaluator.Split split, Source s)
      throws SQLException {
    Map<String, Map<String, Double>> out = new HashMap<>();
    try (Connection c = warehouse.connect(); Statement st = c.createStatement();
         ResultSet rs = st.executeQuery("SELECT person_id, item_id, score FROM (" + eval.recsSql(split, s.sqlName(),
             CANDIDATES, settings) + ")")) {
      while (rs.next()) {
        out.computeIfAbsent(rs.getString(1), x -> new HashMap<>()).put(rs.getString(2), rs.getDouble(3));
      }
    }
    return out;
  }
}
