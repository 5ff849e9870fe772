package dev.lode.cli;

import dev.lode.config.LodeConfig;
import dev.lode.recommend.BlendTuner;
import dev.lode.recommend.RecommendSettings;
import dev.lode.warehouse.Warehouse;
import java.time.Duration;
import java.time.Instant;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code bin/lode tune}: tunes the recommendation blend's weights and EASE's penalty on the last days
 * before the model clock (a temporal validation slice) and records the choice, which a server started
 * afterwards serves with where the configuration does not set the weights itself.
 */
@Command(name = "tune", mixinStandardHelpOptions = true,
    description = "Tune the recommendation blend's weights (and EASE's penalty) on a temporal validation slice: train"
        + " on the purchases before the last --days days before the model clock, score on those days. The choice is"
        + " recorded in rec_tunings; a server started afterwards uses it for every lode.recommend.weight.* and"
        + " lode.recommend.ease.lambda it does not configure (docs/recommend.md, \"Tuning on a validation slice\").",
    footerHeading = "%nExamples:%n", footer = {"  bin/lode tune", "  bin/lode tune --days 60 --lambdas 100,400"})
final class TuneCommand implements Callable<Integer> {
  @Option(names = "--days", defaultValue = "90", description = "length of the validation slice (default: ${DEFAULT-VALUE})")
  int days;

  @Option(names = "--lambdas", split = ",", defaultValue = "50,150,400,1000",
      description = "EASE penalties tried (default: ${DEFAULT-VALUE})")
  double[] lambdas;

  @Override
  public Integer call() throws Exception {
    if (days < 1) {
      throw new IllegalArgumentException("--days must be at least 1, got " + days);
    }
    LodeConfig config = LodeConfig.load();
    try (Warehouse w = CliWarehouse.open(config)) {
      RecommendSettings settings = RecommendSettings.from(config);
      Instant end = settings.asOf().resolve(w).orElseGet(Instant::now);
      Instant cutoff = end.minus(Duration.ofDays(days));
      BlendTuner.Tuned t = new BlendTuner(w, settings).tune(cutoff, end, 20, lambdas);
      System.out.printf("tuned on %s, %d validation persons, %,d ms%n", t.slice(), t.persons(), t.millis());
      for (BlendTuner.Point p : t.lambdas()) {
        System.out.printf("  %-22s recall@20 %.4f  ndcg@20 %.4f%n", p.what(), p.recall(), p.ndcg());
      }
      for (BlendTuner.Point p : t.alone()) {
        System.out.printf("  %-22s recall@20 %.4f  ndcg@20 %.4f (alone)%n", p.what(), p.recall(), p.ndcg());
      }
      System.out.printf("  blend: configured weights recall@20 %.4f ndcg@20 %.4f -> tuned %.4f / %.4f%n",
          t.before().recall(), t.before().ndcg(), t.after().recall(), t.after().ndcg());
      System.out.printf("chosen: ease lambda %s; weights %s (no candidates, kept: %s)%n", t.lambda(),
          new TreeMap<>(t.weights()), t.untuned());
      System.out.println("recorded in rec_tunings: a server started from now on serves with these weights where"
          + " lode.recommend.weight.* does not set them");
    }
    return 0;
  }
}
