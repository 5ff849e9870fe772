package dev.lode.recommend;

import org.ejml.data.DMatrixRMaj;
import org.ejml.data.DMatrixSparseCSC;
import org.ejml.data.DMatrixSparseTriplet;
import org.ejml.dense.row.factory.LinearSolverFactory_MT_DDRM;
import org.ejml.interfaces.linsol.LinearSolverDense;
import org.ejml.ops.DConvertMatrixStruct;
import org.ejml.sparse.csc.CommonOps_DSCC;

/**
 * EASE (Steck, "Embarrassingly Shallow Autoencoders", WWW 2019): the item×item weights that best
 * rebuild each customer's purchases from their other purchases, in closed form
 * {@code B = I − P · diag(1 / diag(P))} with {@code P = (XᵀX + λI)⁻¹} and a zero diagonal; a
 * customer's score for item j is {@code Σ_i x_i · B[i][j]}. X is the binary customer × item matrix.
 */
public final class EaseModel {
  private final int items;
  private final DMatrixRMaj weights;
  private final DMatrixSparseCSC gram;

  private EaseModel(int items, DMatrixRMaj weights, DMatrixSparseCSC gram) {
    this.items = items;
    this.weights = weights;
    this.gram = gram;
  }

  /**
   * Fits on the interactions {@code (customer[k], item[k])} (indices, each pair once) of
   * {@code customers} customers and {@code items} items with L2 penalty {@code lambda} (> 0).
   */
  public static EaseModel fit(int customers, int items, int[] customer, int[] item, double lambda) {
    if (!(lambda > 0)) {
      throw new IllegalArgumentException("EASE lambda must be > 0, got " + lambda);
    }
    if (customer.length != item.length) {
      throw new IllegalArgumentException("customer and item arrays differ in length");
    }
    DMatrixSparseTriplet triplets = new DMatrixSparseTriplet(customers, items, customer.length);
    for (int k = 0; k < customer.length; k++) {
      triplets.addItem(customer[k], item[k], 1.0);
    }
    DMatrixSparseCSC x = DConvertMatrixStruct.convert(triplets, (DMatrixSparseCSC) null);
    DMatrixSparseCSC xt = CommonOps_DSCC.transpose(x, null, null);
    DMatrixSparseCSC gram = CommonOps_DSCC.mult(xt, x, null);
    DMatrixRMaj g = DConvertMatrixStruct.convert(gram, (DMatrixRMaj) null);
    for (int i = 0; i < items; i++) {
      g.add(i, i, lambda);
    }
    // XᵀX + λI is symmetric positive definite for λ > 0: Cholesky, multi-threaded where EJML has it
    LinearSolverDense<DMatrixRMaj> solver = LinearSolverFactory_MT_DDRM.symmPosDef(items);
    if (!solver.setA(g)) {
      throw new IllegalStateException("EASE: XᵀX + λI is not positive definite (lambda " + lambda + ")");
    }
    DMatrixRMaj p = new DMatrixRMaj(items, items);
    solver.invert(p);
    g = null; // the Gram copy is no longer needed; P becomes B in place
    double[] diag = new double[items];
    for (int j = 0; j < items; j++) {
      diag[j] = p.get(j, j);
    }
    double[] d = p.data;
    for (int i = 0; i < items; i++) {
      int row = i * items;
      for (int j = 0; j < items; j++) {
        d[row + j] = i == j ? 0.0 : -d[row + j] / diag[j];
      }
    }
    return new EaseModel(items, p, gram);
  }

  public int items() {
    return items;
  }

  /** B[from][to]: how much buying {@code from} adds to the score of {@code to}. */
  public double weight(int from, int to) {
    return weights.unsafe_get(from, to);
  }

  /** How many customers bought both items (the Gram matrix XᵀX), the evidence behind a weight. */
  public int together(int a, int b) {
    return (int) Math.round(gram.get(a, b));
  }

  /** Adds {@code from}'s weights to every item onto {@code scores} (one customer's score is the sum over their items). */
  public void addRow(int from, double[] scores) {
    double[] d = weights.data;
    int row = from * items;
    for (int j = 0; j < items; j++) {
      scores[j] += d[row + j];
    }
  }

  /** The {@code n} items {@code from} adds the most to, strongest first, positive weights only. */
  public int[] strongest(int from, int n) {
    int row = from * items;
    double[] d = weights.data;
    // a partial selection: keep the n best in a small sorted array (n is ~100, items a few thousand)
    int[] best = new int[Math.min(n, items)];
    int size = 0;
    for (int j = 0; j < items; j++) {
      double v = d[row + j];
      if (v <= 0 || j == from) {
        continue;
      }
      if (size == best.length && v <= d[row + best[size - 1]]) {
        continue;
      }
      int pos = size == best.length ? size - 1 : size++;
      while (pos > 0 && d[row + best[pos - 1]] < v) {
        best[pos] = best[pos - 1];
        pos--;
      }
      best[pos] = j;
    }
    return java.util.Arrays.copyOf(best, size);
  }
}
