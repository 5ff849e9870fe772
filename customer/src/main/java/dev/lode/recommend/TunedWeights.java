package dev.lode.recommend;

import dev.lode.config.LodeConfig;
import dev.lode.warehouse.Warehouse;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The blend's default weights are the tuner's choice: every {@link BlendTuner} run is recorded in
 * {@code rec_tunings}, and a server takes the newest <em>temporal</em> tuning's weights (the protocol
 * serving resembles: learn from the past, recommend the future) and trained-model hyper-parameters (EASE's λ,
 * or implicit ALS's λ and α) as its defaults; a weight or hyper-parameter set in the configuration still wins, and without a tuning the documented defaults apply.
 */
public final class TunedWeights {
  private static final Logger LOG = LoggerFactory.getLogger(TunedWeights.class);
  private static final String LAMBDA = "lode.recommend.ease.lambda";
  private static final String IALS_LAMBDA = "lode.recommend.ials.lambda";
  private static final String IALS_ALPHA = "lode.recommend.ials.alpha";

  private TunedWeights() {
  }

  /** One recorded tuning: when, on which slice, and what it chose. */
  public record Tuning(Instant at, String protocol, String slice, String trained, double easeLambda,
                       double ialsLambda, double ialsAlpha, Map<Source, Double> weights) {
  }

  /** Records what {@code t} chose on a slice of {@code protocol}, scored at {@code k}. */
  static void record(Connection c, EvalProtocol protocol, BlendTuner.Tuned t, Source trained, int k)
      throws SQLException {
    StringBuilder weights = new StringBuilder();
    new java.util.TreeMap<>(t.weights()).forEach((s, w) -> weights.append(weights.isEmpty() ? "" : ", ")
        .append(SqlBinder.quote(s.sqlName())).append(", ").append(w));
    StringBuilder untuned = new StringBuilder();
    for (Source s : t.untuned()) {
      untuned.append(untuned.isEmpty() ? "" : ", ").append(SqlBinder.quote(s.sqlName()));
    }
    try (Statement st = c.createStatement()) {
      st.execute("INSERT INTO rec_tunings (tuned_at, protocol, slice, trained, ease_lambda, ials_lambda, ials_alpha, weights, untuned, persons,"
          + " k, recall_before, ndcg_before, recall_at_k, ndcg_at_k, tune_ms) SELECT now64(3), "
          + SqlBinder.quote(protocol.sqlName()) + ", " + SqlBinder.quote(t.slice()) + ", "
          + SqlBinder.quote(trained.sqlName()) + ", " + t.lambda() + ", " + t.settings().ials().lambda() + ", "
          + t.settings().ials().alpha() + ", map(" + weights + "), CAST([" + untuned + "] AS Array(String)), "
          + t.persons() + ", " + k + ", " + t.before().recall() + ", " + t.before().ndcg() + ", " + t.after().recall()
          + ", " + t.after().ndcg() + ", " + t.millis());
    }
  }

  /** The newest tuning on a temporal slice, if any. */
  public static Optional<Tuning> latestTemporal(Warehouse warehouse) throws SQLException {
    try (Connection c = warehouse.connect(); Statement st = c.createStatement();
         ResultSet rs = st.executeQuery("SELECT tuned_at, protocol, slice, trained, ease_lambda, mapKeys(weights),"
             + " mapValues(weights), ials_lambda, ials_alpha"
             + " FROM rec_tunings WHERE protocol = 'temporal' ORDER BY tuned_at DESC LIMIT 1")) {
      if (!rs.next()) {
        return Optional.empty();
      }
      Object[] keys = (Object[]) rs.getArray(6).getArray();
      Object[] values = (Object[]) rs.getArray(7).getArray();
      Map<Source, Double> w = new HashMap<>();
      for (int i = 0; i < keys.length; i++) {
        for (Source s : Source.values()) {
          if (s.sqlName().equals(keys[i].toString())) {
            w.put(s, ((Number) values[i]).doubleValue());
          }
        }
      }
      return Optional.of(new Tuning(rs.getTimestamp(1).toInstant(), rs.getString(2), rs.getString(3), rs.getString(4),
          rs.getDouble(5), rs.getDouble(8), rs.getDouble(9), Map.copyOf(w)));
    }
  }

  /**
   * {@code config} with the newest temporal tuning's weights and EASE penalty for every key it does not set
   * itself, and {@code lode.recommend.weights-from} saying where the weights came from; unchanged without a
   * tuning (or when the warehouse cannot say: the defaults then apply, with a warning).
   */
  public static LodeConfig apply(Warehouse warehouse, LodeConfig config) {
    Optional<Tuning> latest;
    try {
      latest = latestTemporal(warehouse);
    } catch (SQLException e) {
      LOG.warn("recommendation weights: could not read rec_tunings ({}); the configured or default weights apply",
          e.getMessage());
      return config;
    }
    if (latest.isEmpty()) {
      return config;
    }
    Tuning t = latest.get();
    Set<Source> set = RecommendSettings.configured(config);
    LodeConfig out = config;
    for (Map.Entry<Source, Double> e : t.weights().entrySet()) {
      if (!set.contains(e.getKey())) {
        out = out.with("lode.recommend.weight." + e.getKey().sqlName(), Double.toString(e.getValue()));
      }
    }
    // the trained model's hyper-parameters the tuning chose, unless configured
    String params = "";
    if (t.trained().equals(Source.EASE.sqlName()) && config.get(LAMBDA).isEmpty()) {
      out = out.with(LAMBDA, Double.toString(t.easeLambda()));
      params = ", ease lambda " + t.easeLambda();
    }
    if (t.trained().equals(Source.IALS.sqlName()) && config.get(IALS_LAMBDA).isEmpty()
        && config.get(IALS_ALPHA).isEmpty()) {
      out = out.with(IALS_LAMBDA, Double.toString(t.ialsLambda())).with(IALS_ALPHA, Double.toString(t.ialsAlpha()));
      params = ", ials lambda " + t.ialsLambda() + " alpha " + t.ialsAlpha();
    }
    String from = "tuned " + t.at() + " on " + t.slice() + params
        + (set.isEmpty() ? "" : "; configured: " + String.join(", ", set.stream().map(Source::sqlName).toList()));
    out = out.with(RecommendSettings.WEIGHTS_FROM, from);
    LOG.info("recommendation weights: {}", RecommendSettings.from(out).describeWeights());
    return out;
  }
}
