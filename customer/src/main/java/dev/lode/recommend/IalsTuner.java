package dev.lode.recommend;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Picks implicit ALS's penalty λ and confidence α on a validation slice of the training purchases
 * (never the test data): of each person's n ≥ 2 training items, max(1, ⌊n/5⌋) chosen by a seeded hash
 * are held out, the model is fitted on the rest for every (λ, α) of the grid, and a sample of the
 * persons is scored on recall@k + NDCG@k of the held-out items (training items excluded), as
 * {@code rec_eval} defines them. Factors and sweeps stay as configured.
 */
public final class IalsTuner {
  /** One grid point's figures on the validation slice. */
  public record Point(double lambda, double alpha, double recall, double ndcg, long millis) {
  }

  /** The grid and the chosen hyper-parameters. */
  public record Tuned(RecommendSettings.Ials ials, List<Point> grid, int persons, long millis) {
  }

  private IalsTuner() {
  }

  /** Tunes over {@code lambdas} × {@code alphas} on {@code m}, scoring at most {@code sample} persons at {@code k}. */
  public static Tuned tune(PurchaseMatrix m, RecommendSettings.Ials base, double[] lambdas, double[] alphas, int k,
                           int sample, long seed) {
    long t0 = System.nanoTime();
    int[] count = new int[m.persons().size()];
    for (int p : m.person()) {
      count[p]++;
    }
    // the hash order of each person's items; the first max(1, n/5) are held out
    Map<Integer, List<long[]>> byPerson = new HashMap<>();
    for (int n = 0; n < m.pairs(); n++) {
      if (count[m.person()[n]] >= 2) {
        long h = mix(seed, m.person()[n], m.item()[n]);
        byPerson.computeIfAbsent(m.person()[n], x -> new ArrayList<>()).add(new long[] {h, n});
      }
    }
    boolean[] held = new boolean[m.pairs()];
    Map<Integer, Set<String>> truth = new HashMap<>();
    for (Map.Entry<Integer, List<long[]>> e : byPerson.entrySet()) {
      List<long[]> l = e.getValue();
      l.sort((a, b) -> a[0] != b[0] ? Long.compare(a[0], b[0]) : Long.compare(a[1], b[1]));
      int out = Math.max(1, l.size() / 5);
      Set<String> t = new HashSet<>();
      for (int j = 0; j < out; j++) {
        held[(int) l.get(j)[1]] = true;
        t.add(m.items().get(m.item()[(int) l.get(j)[1]]));
      }
      truth.put(e.getKey(), t);
    }
    int kept = 0;
    for (boolean h : held) {
      kept += h ? 0 : 1;
    }
    int[] person = new int[kept];
    int[] item = new int[kept];
    for (int n = 0, j = 0; n < m.pairs(); n++) {
      if (!held[n]) {
        person[j] = m.person()[n];
        item[j++] = m.item()[n];
      }
    }
    // a fixed hash sample of the validation persons
    int[] who = truth.keySet().stream().sorted((a, b) -> Long.compare(mix(seed, a, -1), mix(seed, b, -1)))
        .limit(sample).mapToInt(Integer::intValue).toArray();
    List<Point> grid = new ArrayList<>();
    Point best = null;
    for (double lambda : lambdas) {
      for (double alpha : alphas) {
        long t1 = System.nanoTime();
        IalsModel model = IalsModel.fit(m.persons().size(), m.items().size(), person, item,
            base.with(lambda, alpha).params());
        double[] sum = new double[2];
        model.top(who, k, (u, top, scores) -> {
          List<String> ranked = new ArrayList<>(top.length);
          for (int i : top) {
            ranked.add(m.items().get(i));
          }
          RankingMetrics r = RankingMetrics.of(ranked, truth.get(u), k);
          sum[0] += r.recall();
          sum[1] += r.ndcg();
        });
        Point p = new Point(lambda, alpha, sum[0] / who.length, sum[1] / who.length,
            (System.nanoTime() - t1) / 1_000_000);
        grid.add(p);
        if (best == null || p.recall() + p.ndcg() > best.recall() + best.ndcg()) {
          best = p;
        }
      }
    }
    RecommendSettings.Ials chosen = best == null ? base : base.with(best.lambda(), best.alpha());
    return new Tuned(chosen, grid, who.length, (System.nanoTime() - t0) / 1_000_000);
  }

  private static long mix(long seed, long a, long b) {
    long h = seed * 0x9E3779B97F4A7C15L + a * 0xC2B2AE3D27D4EB4FL + b * 0x165667B19E3779F9L;
    h ^= h >>> 33;
    h *= 0xFF51AFD7ED558CCDL;
    h ^= h >>> 33;
    return h;
  }
}
