package dev.lode.bench;

import dev.lode.app.LodeServer;
import dev.lode.config.LodeConfig;
import dev.lode.recommend.BlendTuner;
import dev.lode.recommend.EvalProtocol;
import dev.lode.recommend.IalsTuner;
import dev.lode.recommend.ModelTraining;
import dev.lode.recommend.PurchaseMatrix;
import dev.lode.recommend.RecEvaluator;
import dev.lode.recommend.RecommendSettings;
import dev.lode.warehouse.Warehouse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code bin/lode bench recommend-public <dir>}: a public implicit-feedback dataset with its own fixed
 * train/test split in the LightGCN layout (Gowalla, Yelp2018, Amazon-book; see docs/recommend.md) loaded
 * into a fresh warehouse, implicit ALS and then the blend's weights tuned on validation holdouts of the
 * training data, then the blend,
 * the trained model alone, item-kNN and popularity evaluated on the dataset's test split with recall@20
 * and NDCG@20 as LightGCN's code computes them, printed beside the published figures of that split.
 */
public final class PublicRecommendBenchmark implements Benchmark {
  static final int K = 20;
  static final List<String> METHODS = List.of("blend", "ials", "item_knn", "popularity");

  /** Published recall@20 / NDCG@20 on these exact splits, with where they are printed. */
  record Published(String model, double recall, double ndcg, String where) {
  }

  static final Map<String, List<Published>> PUBLISHED = Map.of(
      "gowalla", List.of(
          new Published("LightGCN (3 layers, TensorFlow)", 0.18236, 0.15539, "kuandeng/LightGCN README, best epoch"),
          new Published("LightGCN (3 layers, PyTorch)", 0.1824, 0.1547, "gusye1234/LightGCN-PyTorch README"),
          new Published("NGCF", 0.1570, 0.1327, "NGCF paper (Wang et al. 2019), via reczoo/BARS gowalla_m1"),
          new Published("Mult-VAE", 0.1641, 0.1335, "LightGCN paper (He et al. 2020), via reczoo/BARS gowalla_m1"),
          new Published("GRMF", 0.1477, 0.1205, "LightGCN paper (He et al. 2020), via reczoo/BARS gowalla_m1"),
          new Published("EASE (tuned rerun)", 0.1765, 0.1467, "reczoo/BARS gowalla_m1 (Zhu et al. 2022)"),
          new Published("MF-BPR (tuned rerun)", 0.1627, 0.1378, "reczoo/BARS gowalla_m1 (Zhu et al. 2022)"),
          new Published("ItemCF (tuned rerun)", 0.1570, 0.1214, "reczoo/BARS gowalla_m1 (Zhu et al. 2022)")),
      "yelp2018", List.of(
          new Published("LightGCN (3 layers, TensorFlow)", 0.06367, 0.05236, "kuandeng/LightGCN README, best epoch"),
          new Published("LightGCN (3 layers, PyTorch)", 0.06347, 0.05238, "gusye1234/LightGCN-PyTorch README")),
      "amazon-book", List.of(
          new Published("LightGCN (3 layers, TensorFlow)", 0.04123, 0.03189, "kuandeng/LightGCN README, best epoch")));

  @Override
  public String name() {
    return "recommend-public";
  }

  @Override
  public String summary() {
    return "a public dataset's fixed split (LightGCN layout, e.g. Gowalla): recall/NDCG@20 of blend, iALS, item-kNN,"
        + " popularity vs published figures";
  }

  @Override
  public void run(List<String> args) throws Exception {
    if (args.isEmpty() || args.get(0).contains("=")) {
      throw new IllegalArgumentException("usage: bench recommend-public <dir with train.txt and test.txt>"
          + " [lambdas=1,10,50] [alphas=3,10,30] [sample=2000] [tune=no] [blend=no]");
    }
    Path data = Path.of(args.get(0));
    String dataset = data.toAbsolutePath().normalize().getFileName().toString().toLowerCase(java.util.Locale.ROOT);
    double[] lambdas = numbers(option(args, "lambdas", "1,10,50"));
    double[] alphas = numbers(option(args, "alphas", "3,10,30"));
    int sample = Integer.parseInt(option(args, "sample", "2000"));
    boolean tune = !option(args, "tune", "yes").equals("no");
    boolean tuneBlend = !option(args, "blend", "yes").equals("no");
    LodeConfig base = LodeConfig.load();
    Path dir = Files.createTempDirectory("lode-bench-public-");
    LodeConfig config = base.with("lode.data.dir", dir.toString()).with("lode.http.port", "0")
        .with("lode.recommend.refresh-minutes", "0").with("lode.recommend.serving.interval-ms", "0")
        .with("lode.demo.enabled", "false").with("lode.identity.interval-seconds", "0")
        .with("lode.tags.refresh-interval-seconds", "0");
    try (LodeServer server = LodeServer.start(config)) {
      Warehouse w = server.context().warehouse();
      RecommendSettings settings = RecommendSettings.from(config);
      System.out.printf("bench recommend-public: %s (%s), warehouse embedded ClickHouse %s; load average %s%n",
          dataset, data, w.engine().map(e -> e.version()).orElse("?"), RecommendBenchmark.loadAverage());
      try (Connection c = w.connect(); Statement st = c.createStatement()) {
        for (String t : List.of("order_lines", "orders", "items", "persons", "consents", "events", "tickets")) {
          st.execute("TRUNCATE TABLE " + t);
        }
        GivenSplitFixture.Loaded l = GivenSplitFixture.load(c, data, dataset);
        System.out.printf("  loaded %,d train + %,d test interactions, %,d users, %,d items in %,d ms; train lines dated"
            + " %s, test %s: rec_eval's temporal protocol at cutoff %s is the dataset's own split%n", l.trainLines(),
            l.testLines(), l.users(), l.items(), l.millis(), GivenSplitFixture.TRAIN_TIME, GivenSplitFixture.TEST_TIME,
            GivenSplitFixture.CUTOFF);
        if (tune) {
          PurchaseMatrix m = PurchaseMatrix.read(st, GivenSplitFixture.CUTOFF, settings.ials().maxItems());
          System.out.printf("  tuning iALS (factors %d, %d sweeps) on a validation slice of the training data: per"
              + " person max(1, n/5) training items held out, %d persons scored; matrix %,d persons x %,d items%n",
              settings.ials().factors(), settings.ials().iterations(), sample, m.persons().size(), m.items().size());
          IalsTuner.Tuned t = IalsTuner.tune(m, settings.ials(), lambdas, alphas, K, sample, 42);
          for (IalsTuner.Point p : t.grid()) {
            System.out.printf("    lambda %-6s alpha %-6s recall@20 %.4f  ndcg@20 %.4f  (%,d ms)%n", p.lambda(),
                p.alpha(), p.recall(), p.ndcg(), p.millis());
          }
          System.out.printf("    chosen: %s; tuning took %,d ms%n", t.ials().describe(), t.millis());
          settings = settings.withIals(t.ials());
        }
      }
      if (tuneBlend) {
        // the blend's weights around the trained source, on a seeded holdout of each user's training items
        // (the training file has no time order to cut a temporal slice from); never the test file
        System.out.printf("  tuning the blend's weights on a validation holdout of the training data (random:%d,"
            + " per person max(1, n/5) of n >= 2 training items), at most 800 persons%n", RecEvaluator.DEFAULT_SEED);
        BlendTuner.Tuned b = new BlendTuner(w, settings)
            // implicit ALS's λ and α: IalsTuner's choice above (or the configured ones with tune=no), not a second grid
            .withIalsGrid(new double[0], new double[0]).tune(EvalProtocol.RANDOM, GivenSplitFixture.CUTOFF,
            GivenSplitFixture.END, K, new double[0]);
        System.out.printf("    chosen weights %s (untuned, no candidates on the holdout: %s); validation blend:"
            + " configured recall@20 %.4f ndcg@20 %.4f -> tuned %.4f / %.4f; %d persons; %,d ms%n",
            new java.util.TreeMap<>(b.weights()), b.untuned(), b.before().recall(), b.before().ndcg(),
            b.after().recall(), b.after().ndcg(), b.persons(), b.millis());
        settings = b.settings();
      }
      RecEvaluator eval = new RecEvaluator(w, settings);
      long t0 = System.nanoTime();
      List<RecEvaluator.Result> results = eval.evaluate(GivenSplitFixture.CUTOFF, GivenSplitFixture.END, K, METHODS);
      ModelTraining tr = eval.lastTraining();
      System.out.printf("  trained %s on %,d persons x %,d items (%,d pairs) in %,d ms, JVM heap peak %,d MB"
          + " (max heap %,d MB), %,d rows written%n", tr.trainer(), tr.persons(), tr.items(), tr.pairs(), tr.millis(),
          tr.heapPeakMb(), Runtime.getRuntime().maxMemory() >> 20, tr.rows());
      System.out.printf("  %-34s %8s %10s %10s %12s %9s %10s %8s%n", "method", "persons", "recall@20", "ndcg@20",
          "precision@20", "hit@20", "coverage", "ms");
      Map<String, RecEvaluator.Result> by = new LinkedHashMap<>();
      for (RecEvaluator.Result r : results) {
        by.put(r.method(), r);
        System.out.printf("  %-34s %8d %10.4f %10.4f %12.4f %9.4f %10.4f %8d%n", r.method(), r.persons(), r.recall(),
            r.ndcg(), r.precision(), r.hitRate(), r.coverage(), r.millis());
      }
      for (Published p : PUBLISHED.getOrDefault(dataset, List.of())) {
        System.out.printf("  %-34s %8s %10.4f %10.4f   published: %s%n", p.model(), "", p.recall(), p.ndcg(), p.where());
      }
      RecEvaluator.Result knn = by.get("item_knn");
      System.out.printf("  blend / item_knn recall@20 %.2f, NDCG@20 %.2f; ials / item_knn %.2f, %.2f; evaluation %,d ms"
          + " (model build and training included); load average %s%n", by.get("blend").recall() / knn.recall(),
          by.get("blend").ndcg() / knn.ndcg(), by.get("ials").recall() / knn.recall(), by.get("ials").ndcg() / knn.ndcg(),
          (System.nanoTime() - t0) / 1_000_000, RecommendBenchmark.loadAverage());
    } finally {
      InsertBenchmark.deleteTree(dir);
    }
  }

  private static String option(List<String> args, String name, String dflt) {
    for (String a : args) {
      if (a.startsWith(name + "=")) {
        return a.substring(name.length() + 1);
      }
    }
    return dflt;
  }

  private static double[] numbers(String csv) {
    return Arrays.stream(csv.split(",")).mapToDouble(Double::parseDouble).toArray();
  }
}
