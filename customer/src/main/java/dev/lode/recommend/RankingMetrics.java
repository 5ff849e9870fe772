package dev.lode.recommend;

import java.util.List;
import java.util.Set;

/**
 * Precision, recall, NDCG (binary gain, ideal = min(k, |truth|) hits on top) and hit at k of one
 * ranked list against the items to find — the definitions rec_eval computes in SQL, for the scoring
 * the tuner does in the JVM.
 */
record RankingMetrics(double precision, double recall, double ndcg, double hit) {

  /** Scores the first k of {@code ranked} against {@code truth} (non-empty). */
  static RankingMetrics of(List<String> ranked, Set<String> truth, int k) {
    int hits = 0;
    double dcg = 0;
    for (int r = 0; r < Math.min(k, ranked.size()); r++) {
      if (truth.contains(ranked.get(r))) {
        hits++;
        dcg += 1 / log2(r + 2);
      }
    }
    double ideal = 0;
    for (int r = 0; r < Math.min(k, truth.size()); r++) {
      ideal += 1 / log2(r + 2);
    }
    return new RankingMetrics((double) hits / k, (double) hits / truth.size(), dcg / ideal, hits > 0 ? 1 : 0);
  }

  private static double log2(double x) {
    return Math.log(x) / Math.log(2);
  }
}
