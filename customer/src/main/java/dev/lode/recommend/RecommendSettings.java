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
 * trained sources' hyper-parameters ({@code lode.recommend.ease.*}, {@code lode.recommend.ials.*}) and which
 * of the two a build trains ({@code lode.recommend.trainer}), and where the blend's weights came from (a tuning,
 * the configuration, the defaults: {@link TunedWeights}).
 */
public record RecommendSettings(Map<Source, Double> weights, double halfLifeDays, double viewWeight,
                                double cartWeight, double purchaseWeight, int neighbors, int refreshMinutes,
                                boolean consentRequired, Path calendarFile, long servingIntervalMillis,
                                long servingMaxLagMillis, AsOf asOf, Ease ease, Ials ials, Trainer trainer,
                                String weightsFrom) {

  /**
   * Which model a build trains ({@code lode.recommend.trainer}): {@code auto} (the default) trains EASE
   * when the catalog — items bought by two or more persons — has at most {@code lode.recommend.ease.max-items}
   * items, else implicit ALS; {@code ease} or {@code ials} force one.
   */
  public enum Trainer {
    AUTO, EASE, IALS;

    /** The trainer for a catalog of {@code items} items under an EASE cap of {@code easeMaxItems}. */
    public Trainer choose(int items, int easeMaxItems) {
      return this != AUTO ? this : items <= easeMaxItems ? EASE : IALS;
    }

    static Trainer parse(String v) {
      for (Trainer t : values()) {
        if (t.name().equalsIgnoreCase(v.trim())) {
          return t;
        }
      }
      throw new IllegalArgumentException("configuration lode.recommend.trainer=" + v + " must be auto, ease or ials");
    }
  }

  /**
   * Implicit ALS's hyper-parameters ({@code lode.recommend.ials.*}): factors, L2 penalty λ, confidence
   * α of a purchase, alternating sweeps, items kept per person, and the most items it is trained on.
   */
  public record Ials(int factors, double lambda, double alpha, int iterations, int perPerson, int maxItems) {
    /** Reasoned defaults, one point of the validation grid on Gowalla (docs/recommend.md, "Implicit ALS"). */
    public static final Ials DEFAULT = new Ials(64, 10, 10, 10, 100, 200_000);

    public Ials {
      new IalsModel.Params(factors, lambda, alpha, iterations, 0); // validates
      if (perPerson < 1 || maxItems < 2) {
        throw new IllegalArgumentException("lode.recommend.ials.per-person must be >= 1 and .max-items >= 2, got "
            + perPerson + " and " + maxItems);
      }
    }

    /** The fitting parameters (a fixed seed: the same data gives the same factors). */
    public IalsModel.Params params() {
      return new IalsModel.Params(factors, lambda, alpha, iterations, 42);
    }

    /** The same with another penalty and confidence (the validation grid tries several). */
    public Ials with(double l, double a) {
      return new Ials(factors, l, a, iterations, perPerson, maxItems);
    }

    /** The trainer and its hyper-parameters as rec_models records them. */
    public String describe() {
      return "ials factors=" + factors + " lambda=" + lambda + " alpha=" + alpha + " iterations=" + iterations;
    }
  }

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
      Source.IALS, 1.0,
      Source.RECENT, 0.6,
      Source.CATEGORY, 0.15,
      Source.SIMILAR, 1.0,
      Source.SEASONAL, 0.1,
      Source.TRENDING, 0.05);

  public RecommendSettings {
    weights = Map.copyOf(weights);
    asOf = asOf == null ? AsOf.NOW : asOf;
    ease = ease == null ? Ease.DEFAULT : ease;
    ials = ials == null ? Ials.DEFAULT : ials;
    trainer = trainer == null ? Trainer.AUTO : trainer;
    weightsFrom = weightsFrom == null || weightsFrom.isBlank() ? "defaults" : weightsFrom;
  }

  /**
   * Where the blend's weights came from, in words (set by {@link TunedWeights#apply}: a tuning, the
   * configuration, the defaults); recorded with each model build.
   */
  static final String WEIGHTS_FROM = "lode.recommend.weights-from";

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
            config.getInt("lode.recommend.ease.neighbors", Ease.DEFAULT.neighbors())),
        new Ials(config.getInt("lode.recommend.ials.factors", Ials.DEFAULT.factors()),
            number(config, "lode.recommend.ials.lambda", Ials.DEFAULT.lambda()),
            number(config, "lode.recommend.ials.alpha", Ials.DEFAULT.alpha()),
            config.getInt("lode.recommend.ials.iterations", Ials.DEFAULT.iterations()),
            config.getInt("lode.recommend.ials.per-person", Ials.DEFAULT.perPerson()),
            config.getInt("lode.recommend.ials.max-items", Ials.DEFAULT.maxItems())),
        Trainer.parse(config.get("lode.recommend.trainer", "auto")),
        config.get(WEIGHTS_FROM).orElse(configured(config).isEmpty() ? "defaults" : "configured"));
  }

  /** The sources whose weight {@code config} sets ({@code lode.recommend.weight.<source>}). */
  static java.util.Set<Source> configured(LodeConfig config) {
    java.util.Set<Source> out = java.util.EnumSet.noneOf(Source.class);
    for (Source s : Source.values()) {
      if (config.get("lode.recommend.weight." + s.sqlName()).isPresent()) {
        out.add(s);
      }
    }
    return out;
  }

  /** The settings with other weights, e.g. one source alone for evaluation. */
  public RecommendSettings withWeights(Map<Source, Double> w) {
    return new RecommendSettings(w, halfLifeDays, viewWeight, cartWeight, purchaseWeight, neighbors, refreshMinutes,
        consentRequired, calendarFile, servingIntervalMillis, servingMaxLagMillis, asOf, ease, ials, trainer, weightsFrom);
  }

  /** The settings with another clock, e.g. a fixed day to recommend as of. */
  public RecommendSettings withAsOf(AsOf clock) {
    return new RecommendSettings(weights, halfLifeDays, viewWeight, cartWeight, purchaseWeight, neighbors,
        refreshMinutes, consentRequired, calendarFile, servingIntervalMillis, servingMaxLagMillis, clock, ease, ials, trainer, weightsFrom);
  }

  /** The settings with other trained-source hyper-parameters. */
  public RecommendSettings withEase(Ease e) {
    return new RecommendSettings(weights, halfLifeDays, viewWeight, cartWeight, purchaseWeight, neighbors,
        refreshMinutes, consentRequired, calendarFile, servingIntervalMillis, servingMaxLagMillis, asOf, e, ials, trainer, weightsFrom);
  }

  /** The settings with other implicit-ALS hyper-parameters. */
  public RecommendSettings withIals(Ials i) {
    return new RecommendSettings(weights, halfLifeDays, viewWeight, cartWeight, purchaseWeight, neighbors,
        refreshMinutes, consentRequired, calendarFile, servingIntervalMillis, servingMaxLagMillis, asOf, ease, i, trainer, weightsFrom);
  }

  /** The settings with another trainer choice. */
  public RecommendSettings withTrainer(Trainer t) {
    return new RecommendSettings(weights, halfLifeDays, viewWeight, cartWeight, purchaseWeight, neighbors,
        refreshMinutes, consentRequired, calendarFile, servingIntervalMillis, servingMaxLagMillis, asOf, ease, ials, t, weightsFrom);
  }

  /** The settings with other weights and where they came from (a tuning's choice). */
  public RecommendSettings withWeights(Map<Source, Double> w, String from) {
    return new RecommendSettings(w, halfLifeDays, viewWeight, cartWeight, purchaseWeight, neighbors, refreshMinutes,
        consentRequired, calendarFile, servingIntervalMillis, servingMaxLagMillis, asOf, ease, ials, trainer, from);
  }

  /** The weights as {@code source=weight} pairs in source order, and where they came from, as rec_models records them. */
  public String describeWeights() {
    StringBuilder b = new StringBuilder();
    for (Source s : Source.values()) {
      b.append(b.isEmpty() ? "" : " ").append(s.sqlName()).append('=').append(weight(s));
    }
    return b + " (" + weightsFrom + ")";
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
