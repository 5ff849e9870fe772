package dev.lode.recommend;

import dev.lode.clock.AsOf;
import dev.lode.config.LodeConfig;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The recommender's operator settings ({@code lode.recommend.*}): blend weights per
 * candidate source, the half-life of a person's behaviour, the event weights, the model's
 * neighbour count and refresh interval, the consent rule, the calendar file, and how often the
 * served lists are refreshed and how far behind they may be before calls compute live, and the
 * clock the recommender measures decay, seasons and trending windows from ({@code lode.model.as-of}), and the
 * trained source's hyper-parameters ({@code lode.recommend.ease.*}).
 */
public record RecommendSettings(Map<Source, Double> weights, double halfLifeDays, double viewWeight,
                                double cartWeight, double purchaseWeight, int neighbors, int refreshMinutes,
                                boolean consentRequired, Path calendarFile, long servingIntervalMillis,
                                long servingMaxLagMillis, AsOf asOf, Ease ease) {

  /**
   * The trained source's hyper-parameters ({@code lode.recommend.ease.*}): the L2 penalty, the most
   * items it is trained on (the most-bought; memory grows with the square), and the weights kept per item.
   */
  public record Ease(double lambda, int maxItems, int neighbors) {
    /** Reasoned defaults; BlendTuner picks λ on a validation slice (docs/recommend.md, "Tuning on a validation slice"). */
    public static final Ease DEFAULT = new Ease(200, 6000, 100);

    public Ease {
      if (!(lambda > 0)) {
        throw new IllegalArgumentException("lode.recommend.ease.lambda must be > 0, got " + lambda);
      }
      if (maxItems < 2 || neighbors < 1) {
        throw new IllegalArgumentException("lode.recommend.ease.max-items must be >= 2 and .neighbors >= 1, got "
            + maxItems + " and " + neighbors);
      }
    }

    /** The same with another penalty (the validation grid tries several). */
    public Ease withLambda(double l) {
      return new Ease(l, maxItems, neighbors);
    }
  }

  /** Hand-set defaults (docs/recommend.md, "Blend and weights"); BlendTuner tunes them on a validation slice. */
  public static final Map<Source, Double> DEFAULT_WEIGHTS = Map.of(
      Source.BASKET, 1.0,
      Source.SESSION, 0.8,
      Source.CUSTOMER, 0.8,
      Source.EASE, 1.0,
      Source.RECENT, 0.6,
      Source.CATEGORY, 0.15,
      Source.SIMILAR, 1.0,
      Source.SEASONAL, 0.1,
      Source.TRENDING, 0.05);

  public RecommendSettings {
    weights = Map.copyOf(weights);
    asOf = asOf == null ? AsOf.NOW : asOf;
    ease = ease == null ? Ease.DEFAULT : ease;
  }

  /** Reads {@code lode.recommend.*}; a bad value fails naming its key. */
  public static RecommendSettings from(LodeConfig config) {
    Map<Source, Double> w = new LinkedHashMap<>();
    for (Source s : Source.values()) {
      w.put(s, number(config, "lode.recommend.weight." + s.sqlName(), DEFAULT_WEIGHTS.get(s)));
    }
    Path calendar = config.get("lode.recommend.calendar").isPresent()
        ? config.getPath("lode.recommend.calendar", "") : null;
    return new RecommendSettings(w,
        number(config, "lode.recommend.half-life-days", 10),
        number(config, "lode.recommend.event-weight.view", 1),
        number(config, "lode.recommend.event-weight.cart", 3),
        number(config, "lode.recommend.event-weight.purchase", 5),
        config.getInt("lode.recommend.neighbors", 50),
        config.getInt("lode.recommend.refresh-minutes", 15),
        Boolean.parseBoolean(config.get("lode.recommend.consent-required", "true")),
        calendar,
        (long) number(config, "lode.recommend.serving.interval-ms", 1000),
        (long) number(config, "lode.recommend.serving.max-lag-ms", 4000),
        asOf(config),
        new Ease(number(config, "lode.recommend.ease.lambda", Ease.DEFAULT.lambda()),
            config.getInt("lode.recommend.ease.max-items", Ease.DEFAULT.maxItems()),
            config.getInt("lode.recommend.ease.neighbors", Ease.DEFAULT.neighbors())));
  }

  /** The settings with other weights, e.g. one source alone for evaluation. */
  public RecommendSettings withWeights(Map<Source, Double> w) {
    return new RecommendSettings(w, halfLifeDays, viewWeight, cartWeight, purchaseWeight, neighbors, refreshMinutes,
        consentRequired, calendarFile, servingIntervalMillis, servingMaxLagMillis, asOf, ease);
  }

  /** The settings with another clock, e.g. a fixed day to recommend as of. */
  public RecommendSettings withAsOf(AsOf clock) {
    return new RecommendSettings(weights, halfLifeDays, viewWeight, cartWeight, purchaseWeight, neighbors,
        refreshMinutes, consentRequired, calendarFile, servingIntervalMillis, servingMaxLagMillis, clock, ease);
  }

  /** The settings with other trained-source hyper-parameters. */
  public RecommendSettings withEase(Ease e) {
    return new RecommendSettings(weights, halfLifeDays, viewWeight, cartWeight, purchaseWeight, neighbors,
        refreshMinutes, consentRequired, calendarFile, servingIntervalMillis, servingMaxLagMillis, asOf, e);
  }

  public double weight(Source s) {
    return weights.getOrDefault(s, 0.0);
  }

  // the model's one clock (lode.model.as-of); lode.recommend.as-of, its older name here, still wins when set
  private static AsOf asOf(LodeConfig config) {
    return AsOf.configured(config, "lode.recommend.as-of");
  }

  private static double number(LodeConfig config, String key, double dflt) {
    String v = config.get(key, null);
    if (v == null) {
      return dflt;
    }
    try {
      double d = Double.parseDouble(v);
      if (d < 0 || Double.isNaN(d) || Double.isInfinite(d)) {
        throw new NumberFormatException();
      }
      return d;
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("configuration " + key + "=" + v + " must be a non-negative number");
    }
  }
}
