package dev.lode.tags;

import java.util.Arrays;
import java.util.List;

/**
 * An L2-regularized logistic regression over standardized features, fitted by Newton's
 * method on per-person aggregates (never raw events), with its area under the ROC curve.
 * The fitted model renders itself as a ClickHouse expression so scoring runs in the engine.
 */
public final class LogisticModel {
  private final List<String> features;
  private final double[] mean;
  private final double[] scale;
  private final double[] beta; // beta[0] is the intercept

  private LogisticModel(List<String> features, double[] mean, double[] scale, double[] beta) {
    this.features = List.copyOf(features);
    this.mean = mean;
    this.scale = scale;
    this.beta = beta;
  }

  /**
   * Fits on rows {@code x} (one array of feature values per person) and labels {@code y}
   * (0 or 1); {@code lambda} is the L2 penalty on the standardized coefficients.
   */
  public static LogisticModel fit(List<String> features, double[][] x, int[] y, double lambda) {
    int n = x.length;
    int d = features.size();
    double[] mean = new double[d];
    double[] scale = new double[d];
    for (double[] row : x) {
      for (int j = 0; j < d; j++) {
        mean[j] += row[j] / n;
      }
    }
    for (double[] row : x) {
      for (int j = 0; j < d; j++) {
        scale[j] += (row[j] - mean[j]) * (row[j] - mean[j]) / n;
      }
    }
    for (int j = 0; j < d; j++) {
      scale[j] = scale[j] > 1e-12 ? Math.sqrt(scale[j]) : 1.0; // a constant feature contributes nothing
    }
    double[] beta = new double[d + 1];
    double[] z = new double[d + 1];
    for (int iter = 0; iter < 50; iter++) {
      double[] grad = new double[d + 1];
      double[][] hess = new double[d + 1][d + 1];
      for (int i = 0; i < n; i++) {
        z[0] = 1;
        for (int j = 0; j < d; j++) {
          z[j + 1] = (x[i][j] - mean[j]) / scale[j];
        }
        double p = sigmoid(dot(beta, z));
        double w = Math.max(p * (1 - p), 1e-10);
        for (int a = 0; a <= d; a++) {
          grad[a] += (y[i] - p) * z[a];
          for (int b = 0; b <= a; b++) {
            hess[a][b] += w * z[a] * z[b];
          }
        }
      }
      for (int a = 0; a <= d; a++) {
        for (int b = 0; b < a; b++) {
          hess[b][a] = hess[a][b];
        }
        if (a > 0) {
          grad[a] -= lambda * beta[a];
          hess[a][a] += lambda;
        }
      }
      double[] step = solve(hess, grad);
      double max = 0;
      for (int a = 0; a <= d; a++) {
        beta[a] += step[a];
        max = Math.max(max, Math.abs(step[a]));
      }
      if (max < 1e-8) {
        break;
      }
    }
    return new LogisticModel(features, mean, scale, beta);
  }

  /** The probability of a positive for one row of feature values. */
  public double predict(double[] row) {
    double s = beta[0];
    for (int j = 0; j < features.size(); j++) {
      s += beta[j + 1] * (row[j] - mean[j]) / scale[j];
    }
    return sigmoid(s);
  }

  /** Area under the ROC curve of {@code scores} against {@code labels} (ties count half); NaN without both classes. */
  public static double auc(double[] scores, int[] labels) {
    int n = scores.length;
    Integer[] order = new Integer[n];
    for (int i = 0; i < n; i++) {
      order[i] = i;
    }
    Arrays.sort(order, (a, b) -> Double.compare(scores[a], scores[b]));
    double rankSumPos = 0;
    long pos = 0;
    int i = 0;
    while (i < n) {
      int j = i;
      while (j + 1 < n && scores[order[j + 1]] == scores[order[i]]) {
        j++;
      }
      double avgRank = (i + j) / 2.0 + 1;
      for (int k = i; k <= j; k++) {
        if (labels[order[k]] == 1) {
          rankSumPos += avgRank;
          pos++;
        }
      }
      i = j + 1;
    }
    long neg = n - pos;
    if (pos == 0 || neg == 0) {
      return Double.NaN;
    }
    return (rankSumPos - pos * (pos + 1) / 2.0) / ((double) pos * neg);
  }

  /** The model as a ClickHouse Float64 expression over the feature columns, e.g. for {@code SELECT … AS p}. */
  public String sqlExpression() {
    StringBuilder b = new StringBuilder("1 / (1 + exp(-(").append(dev.lode.warehouse.SqlLiteral.number(beta[0]));
    for (int j = 0; j < features.size(); j++) {
      b.append(" + ").append(dev.lode.warehouse.SqlLiteral.number(beta[j + 1])).append(" * ((toFloat64(`")
          .append(features.get(j)).append("`) - ").append(dev.lode.warehouse.SqlLiteral.number(mean[j])).append(") / ")
          .append(dev.lode.warehouse.SqlLiteral.number(scale[j])).append(")");
    }
    return b.append(")))").toString();
  }

  public List<String> features() {
    return features;
  }

  /** The standardized coefficient of each feature (per standard deviation), intercept first. */
  public double[] coefficients() {
    return beta.clone();
  }

  private static double sigmoid(double s) {
    return 1 / (1 + Math.exp(-s));
  }

  private static double dot(double[] a, double[] b) {
    double s = 0;
    for (int i = 0; i < a.length; i++) {
      s += a[i] * b[i];
    }
    return s;
  }

  // Gaussian elimination with partial pivoting; the penalized Hessian is positive definite.
  private static double[] solve(double[][] m, double[] v) {
    int n = v.length;
    double[][] a = new double[n][];
    for (int i = 0; i < n; i++) {
      a[i] = Arrays.copyOf(m[i], n + 1);
      a[i][n] = v[i];
    }
    for (int col = 0; col < n; col++) {
      int piv = col;
      for (int r = col + 1; r < n; r++) {
        if (Math.abs(a[r][col]) > Math.abs(a[piv][col])) {
          piv = r;
        }
      }
      double[] tmp = a[col];
      a[col] = a[piv];
      a[piv] = tmp;
      if (Math.abs(a[col][col]) < 1e-12) {
        a[col][col] = 1e-12;
      }
      for (int r = col + 1; r < n; r++) {
        double f = a[r][col] / a[col][col];
        for (int k = col; k <= n; k++) {
          a[r][k] -= f * a[col][k];
        }
      }
    }
    double[] out = new double[n];
    for (int r = n - 1; r >= 0; r--) {
      double s = a[r][n];
      for (int k = r + 1; k < n; k++) {
        s -= a[r][k] * out[k];
      }
      out[r] = s / a[r][r];
    }
    return out;
  }
}
