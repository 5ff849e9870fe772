package dev.lode.recommend;

import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.stream.IntStream;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;
import org.ejml.dense.row.CommonOps_MT_DDRM;
import org.ejml.dense.row.factory.LinearSolverFactory_DDRM;
import org.ejml.interfaces.linsol.LinearSolverDense;

/**
 * Implicit ALS (Hu, Koren, Volinsky, "Collaborative Filtering for Implicit Feedback Datasets", ICDM
 * 2008): person factors X and item factors Y minimising
 * {@code Σ_(u,i) c_ui (p_ui − x_uᵀ y_i)² + λ (Σ‖x_u‖² + Σ‖y_i‖²)} over every person × item cell, with
 * {@code p_ui} = 1 if bought, else 0, and confidence {@code c_ui = 1 + α} for a purchase, 1 otherwise.
 * Alternating exact solves, each person's (and item's) a k×k system
 * {@code (YᵀY + α Σ_(i∈u) y_i y_iᵀ + λI) x_u = (1 + α) Σ_(i∈u) y_i}: the all-cells term {@code YᵀY} is
 * computed once per sweep (the "YᵀY trick"), so a sweep costs O(pairs · k² + (persons + items) · k³).
 */
public final class IalsModel {
  private final int persons;
  private final int items;
  private final int k;
  private final DMatrixRMaj x;
  private final DMatrixRMaj y;
  // each person's items and each item's persons (CSR), for fitting and for leaving bought items out
  private final int[] personStart;
  private final int[] personItems;

  private IalsModel(int persons, int items, int k, DMatrixRMaj x, DMatrixRMaj y, int[] personStart,
                    int[] personItems) {
    this.persons = persons;
    this.items = items;
    this.k = k;
    this.x = x;
    this.y = y;
    this.personStart = personStart;
    this.personItems = personItems;
  }

  /** Hyper-parameters: factors k, penalty λ (> 0), confidence α (≥ 0), sweeps, and the seed of the initial item factors. */
  public record Params(int factors, double lambda, double alpha, int iterations, long seed) {
    public Params {
      if (factors < 1 || !(lambda > 0) || !(alpha >= 0) || iterations < 1) {
        throw new IllegalArgumentException("iALS needs factors >= 1, lambda > 0, alpha >= 0, iterations >= 1; got "
            + factors + ", " + lambda + ", " + alpha + ", " + iterations);
      }
    }
  }

  /** Fits on the pairs {@code (person[n], item[n])} (indices, each pair once). */
  public static IalsModel fit(int persons, int items, int[] person, int[] item, Params p) {
    if (person.length != item.length) {
      throw new IllegalArgumentException("person and item arrays differ in length");
    }
    int[][] byPerson = csr(persons, person, item);
    int[][] byItem = csr(items, item, person);
    int k = p.factors();
    DMatrixRMaj x = new DMatrixRMaj(persons, k);
    DMatrixRMaj y = new DMatrixRMaj(items, k);
    SplittableRandom rnd = new SplittableRandom(p.seed());
    for (int n = 0; n < y.data.length; n++) {
      y.data[n] = rnd.nextGaussian() * 0.01;
    }
    for (int it = 0; it < p.iterations(); it++) {
      sweep(y, x, byPerson[0], byPerson[1], p);
      sweep(x, y, byItem[0], byItem[1], p);
    }
    return new IalsModel(persons, items, k, x, y, byPerson[0], byPerson[1]);
  }

  /**
   * Solves every row of {@code out} with {@code fixed} held: row r's system over its observed
   * columns {@code idx[start[r] .. start[r+1])}. Rows are solved in parallel, each thread with its own solver.
   */
  private static void sweep(DMatrixRMaj fixed, DMatrixRMaj out, int[] start, int[] idx, Params p) {
    int k = p.factors();
    DMatrixRMaj gram = CommonOps_MT_DDRM.multInner(fixed, null); // YᵀY, k×k, shared by every row
    ThreadLocal<Scratch> scratch = ThreadLocal.withInitial(() -> new Scratch(k));
    IntStream.range(0, out.numRows).parallel().forEach(r -> {
      Scratch s = scratch.get();
      int from = start[r];
      int n = start[r + 1] - from;
      if (n == 0) {
        Arrays.fill(out.data, r * k, r * k + k, 0.0); // no purchase: nothing to learn, scores 0
        return;
      }
      s.a.setTo(gram);
      for (int d = 0; d < k; d++) {
        s.a.add(d, d, p.lambda());
      }
      DMatrixRMaj rows = s.rows(n);
      Arrays.fill(s.b.data, 0.0);
      for (int j = 0; j < n; j++) {
        int src = idx[from + j] * k;
        System.arraycopy(fixed.data, src, rows.data, j * k, k);
        for (int d = 0; d < k; d++) {
          s.b.data[d] += fixed.data[src + d];
        }
      }
      // Yᵀ(C_u − I)Y = α Σ y_i y_iᵀ over the row's observed columns; Yᵀ C_u p_u = (1 + α) Σ y_i
      CommonOps_DDRM.multAddTransA(p.alpha(), rows, rows, s.a);
      CommonOps_DDRM.scale(1 + p.alpha(), s.b);
      if (!s.solver.setA(s.a)) {
        throw new IllegalStateException("iALS: a k×k system is not positive definite (lambda " + p.lambda() + ")");
      }
      s.solver.solve(s.b, s.sol);
      System.arraycopy(s.sol.data, 0, out.data, r * k, k);
    });
  }

  /** One thread's working matrices. */
  private static final class Scratch {
    final DMatrixRMaj a;
    final DMatrixRMaj b;
    final DMatrixRMaj sol;
    final LinearSolverDense<DMatrixRMaj> solver;
    private DMatrixRMaj rows;
    private final int k;

    Scratch(int k) {
      this.k = k;
      a = new DMatrixRMaj(k, k);
      b = new DMatrixRMaj(k, 1);
      sol = new DMatrixRMaj(k, 1);
      solver = LinearSolverFactory_DDRM.chol(k);
      rows = new DMatrixRMaj(16, k);
    }

    DMatrixRMaj rows(int n) {
      if (rows.data.length < n * k) {
        rows = new DMatrixRMaj(Math.max(n, 2 * rows.data.length / k), k);
      }
      rows.reshape(n, k, false);
      return rows;
    }
  }

  /** Compressed rows: {@code [start (rows + 1), columns]} of the pairs (row[n], col[n]). */
  private static int[][] csr(int rows, int[] row, int[] col) {
    int[] start = new int[rows + 1];
    for (int r : row) {
      start[r + 1]++;
    }
    for (int r = 0; r < rows; r++) {
      start[r + 1] += start[r];
    }
    int[] next = Arrays.copyOf(start, rows);
    int[] cols = new int[col.length];
    for (int n = 0; n < row.length; n++) {
      cols[next[row[n]]++] = col[n];
    }
    return new int[][] {start, cols};
  }

  public int persons() {
    return persons;
  }

  public int items() {
    return items;
  }

  public int factors() {
    return k;
  }

  /** Person u's learned vector (a copy). */
  public double[] personFactors(int u) {
    return Arrays.copyOfRange(x.data, u * k, u * k + k);
  }

  /** Item i's learned vector (a copy). */
  public double[] itemFactors(int i) {
    return Arrays.copyOfRange(y.data, i * k, i * k + k);
  }

  /** The predicted preference x_uᵀ y_i. */
  public double score(int u, int i) {
    double s = 0;
    for (int d = 0; d < k; d++) {
      s += x.data[u * k + d] * y.data[i * k + d];
    }
    return s;
  }

  /** A consumer of one person's top items. */
  public interface TopConsumer {
    void accept(int person, int[] items, double[] scores);
  }

  /**
   * Each person's {@code n} highest-scoring items, best first, leaving out the items the person was
   * trained on: persons are scored in blocks of 512 as one matrix product (X_block · Yᵀ) each.
   */
  public void top(int n, TopConsumer out) {
    top(IntStream.range(0, persons).toArray(), n, out);
  }

  /** The same for the persons {@code who} only (a validation sample). */
  public void top(int[] who, int n, TopConsumer out) {
    int block = 512;
    DMatrixRMaj xb = new DMatrixRMaj(1, k);
    DMatrixRMaj scores = new DMatrixRMaj(1, items);
    for (int from = 0; from < who.length; from += block) {
      int rows = Math.min(block, who.length - from);
      xb.reshape(rows, k, false);
      for (int r = 0; r < rows; r++) {
        System.arraycopy(x.data, who[from + r] * k, xb.data, r * k, k);
      }
      scores.reshape(rows, items, false);
      CommonOps_MT_DDRM.multTransB(xb, y, scores);
      for (int r = 0; r < rows; r++) {
        int u = who[from + r];
        if (personStart[u + 1] == personStart[u]) {
          continue;
        }
        double[] row = Arrays.copyOfRange(scores.data, r * items, r * items + items);
        for (int j = personStart[u]; j < personStart[u + 1]; j++) {
          row[personItems[j]] = Double.NEGATIVE_INFINITY;
        }
        int[] best = best(row, n);
        double[] s = new double[best.length];
        for (int j = 0; j < best.length; j++) {
          s[j] = row[best[j]];
        }
        out.accept(u, best, s);
      }
    }
  }

  /** The indices of the {@code n} largest finite values, largest first (ties: lower index first). */
  static int[] best(double[] v, int n) {
    int[] keep = new int[Math.min(n, v.length)];
    int size = 0;
    for (int j = 0; j < v.length; j++) {
      double s = v[j];
      if (s == Double.NEGATIVE_INFINITY || (size == keep.length && s <= v[keep[size - 1]])) {
        continue;
      }
      int pos = size == keep.length ? size - 1 : size++;
      while (pos > 0 && v[keep[pos - 1]] < s) {
        keep[pos] = keep[pos - 1];
        pos--;
      }
      keep[pos] = j;
    }
    return Arrays.copyOf(keep, size);
  }
}
