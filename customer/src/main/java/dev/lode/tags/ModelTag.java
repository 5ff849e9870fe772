package dev.lode.tags;

import dev.lode.warehouse.SqlLiteral;
import dev.lode.warehouse.Warehouse;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Refreshes a model tag: its SELECT yields one row of behavior features ({@code f_*})
 * and a {@code label} per person as of a given time. The model is fitted on features as
 * of {@code as_of - horizon} (or the horizon before the newest purchase record, when sales
 * stopped before {@code as_of}: {@link LabelWindow}) against purchases in the horizon after it, one person in
 * five (by hash of the id) held out for the AUC; the held-out AUC and the coefficients
 * are stored with the tag version, and the fitted model scores everyone's features as of
 * {@code as_of} inside the engine. Persons who withheld consent are neither trained on nor scored.
 */
public final class ModelTag {
  /** The outcome: the published values and the model's held-out quality. */
  public record Result(TagRefresher.Result published, double heldOutAuc, long trainRows, long holdoutRows,
                       double positiveRate, LogisticModel model) {
  }

  private final Warehouse warehouse;
  private final TagRefresher refresher;
  private final TagRegistry registry;

  public ModelTag(Warehouse warehouse, TagRefresher refresher, TagRegistry registry) {
    this.warehouse = warehouse;
    this.refresher = refresher;
    this.registry = registry;
  }

  /**
   * Trains, evaluates, stores metrics and publishes scores as of {@code asOf}; throws
   * {@link TooLittleDataException} (publishing nothing) when the window has fewer than 5 positive
   * or 5 negative training persons.
   */
  public Result refresh(TagDefinition d, Instant asOf) throws SQLException {
    if (d.kind() != TagKind.MODEL) {
      throw new IllegalArgumentException("tag " + d.id() + " is not a model tag");
    }
    // the horizon before the newest purchase record when sales stopped before the clock (LabelWindow)
    Instant trainAsOf = LabelWindow.trainAsOf(warehouse, asOf, d.horizonDays());
    String withheld = "SELECT person_id FROM person_consents WHERE purpose = " + SqlLiteral.string(d.consentPurpose())
        + " AND granted = 0";
    List<String> features = new ArrayList<>();
    List<double[]> trainX = new ArrayList<>();
    List<Integer> trainY = new ArrayList<>();
    List<double[]> testX = new ArrayList<>();
    List<Integer> testY = new ArrayList<>();
    try (Connection c = warehouse.connect(); Statement st = c.createStatement();
         ResultSet rs = st.executeQuery("SELECT *, cityHash64(person_id) % 5 = 0 AS lode_holdout FROM ("
             + d.render(trainAsOf) + ") WHERE person_id NOT IN (" + withheld + ")")) {
      ResultSetMetaData md = rs.getMetaData();
      List<Integer> cols = new ArrayList<>();
      int label = -1;
      int holdout = -1;
      for (int i = 1; i <= md.getColumnCount(); i++) {
        String name = md.getColumnLabel(i);
        if (name.startsWith("f_")) {
          if (!name.matches("f_[A-Za-z0-9_]{1,60}")) {
            throw new TagDefinitionException(d.source() + ": feature column name '" + name + "' must match f_[A-Za-z0-9_]+");
          }
          features.add(name);
          cols.add(i);
        } else if (name.equals("label")) {
          label = i;
        } else if (name.equals("lode_holdout")) {
          holdout = i;
        }
      }
      while (rs.next()) {
        double[] row = new double[cols.size()];
        for (int j = 0; j < row.length; j++) {
          row[j] = rs.getDouble(cols.get(j));
        }
        int y = rs.getInt(label) > 0 ? 1 : 0;
        if (rs.getBoolean(holdout)) {
          testX.add(row);
          testY.add(y);
        } else {
          trainX.add(row);
          trainY.add(y);
        }
      }
    }
    long pos = trainY.stream().filter(y -> y == 1).count();
    if (pos < 5 || trainY.size() - pos < 5) {
      throw new TooLittleDataException("tag " + d.id() + ": cannot train, the training window (features as of " + trainAsOf
          + ", purchases in the " + d.horizonDays() + " days after) has " + pos + " positive and " + (trainY.size() - pos)
          + " negative persons; at least 5 of each are needed");
    }
    LogisticModel model = LogisticModel.fit(features, trainX.toArray(double[][]::new),
        trainY.stream().mapToInt(Integer::intValue).toArray(), 1.0);
    double[] scores = new double[testX.size()];
    for (int i = 0; i < scores.length; i++) {
      scores[i] = model.predict(testX.get(i));
    }
    double auc = LogisticModel.auc(scores, testY.stream().mapToInt(Integer::intValue).toArray());
    double positiveRate = (double) pos / trainY.size();

    Map<String, String> metrics = new LinkedHashMap<>();
    metrics.put("auc_holdout", Double.isNaN(auc) ? "NaN" : String.format(Locale.ROOT, "%.4f", auc));
    metrics.put("train_rows", Long.toString(trainY.size()));
    metrics.put("holdout_rows", Long.toString(testY.size()));
    metrics.put("positive_rate", String.format(Locale.ROOT, "%.4f", positiveRate));
    metrics.put("horizon_days", Integer.toString(d.horizonDays()));
    metrics.put("trained_as_of", trainAsOf.toString());
    metrics.put("trained_at", Instant.now().toString());
    metrics.put("model", "logistic_regression_l2");
    StringBuilder coef = new StringBuilder("{\"intercept\":").append(model.coefficients()[0]);
    for (int j = 0; j < features.size(); j++) {
      coef.append(",\"").append(features.get(j)).append("\":").append(model.coefficients()[j + 1]);
    }
    metrics.put("coefficients", coef.append('}').toString());
    registry.storeMetrics(d, metrics);

    double high = threshold(d, "model.high_at", 0.5);
    double medium = threshold(d, "model.medium_at", 0.2);
    StringBuilder counts = new StringBuilder("map(");
    for (String f : features) {
      counts.append(SqlLiteral.string(f)).append(", toFloat64(`").append(f).append("`), ");
    }
    counts.append("'probability', p)");
    String select = "SELECT person_id, multiIf(p >= " + SqlLiteral.number(high) + ", 'high', p >= "
        + SqlLiteral.number(medium) + ", 'medium', 'low') AS value, p AS score, " + counts + " AS counts,"
        + " CAST([], 'Array(String)') AS examples FROM (SELECT *, " + model.sqlExpression() + " AS p FROM ("
        + d.render(asOf) + "))";
    TagRefresher.Result published = refresher.publish(d, asOf, select);
    return new Result(published, auc, trainY.size(), testY.size(), positiveRate, model);
  }

  private static double threshold(TagDefinition d, String key, double fallback) {
    String v = d.param(key, Double.toString(fallback));
    try {
      double x = Double.parseDouble(v);
      if (x > 0 && x < 1) {
        return x;
      }
    } catch (NumberFormatException ignored) {
      // reported below
    }
    throw new TagDefinitionException(d.source() + ": " + key + " must be a probability in (0, 1), got '" + v + "'");
  }
}
