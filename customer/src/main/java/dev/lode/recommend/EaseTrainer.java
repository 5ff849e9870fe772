package dev.lode.recommend;

import dev.lode.warehouse.insert.ColumnType;
import dev.lode.warehouse.insert.RowBinaryInsert;
import dev.lode.warehouse.insert.TargetTable;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;

/**
 * Trains the {@code ease} source of a model generation: fits {@link EaseModel} in the JVM, and writes each item's strongest
 * positive weights back as {@code rec_item_neighbors} rows of kind {@code ease}, so recommending
 * stays a lookup of the person's items' neighbours like the co-occurrence sources.
 */
final class EaseTrainer {
  /** The rows written: kind 'ease', together = customers who bought both, similarity = the EASE weight. */
  private static final TargetTable NEIGHBORS = new TargetTable("rec_item_neighbors", List.of(
      new TargetTable.Column("model", ColumnType.STRING), new TargetTable.Column("generation", ColumnType.UINT64),
      new TargetTable.Column("kind", ColumnType.STRING), new TargetTable.Column("item_id", ColumnType.STRING),
      new TargetTable.Column("neighbor_id", ColumnType.STRING), new TargetTable.Column("together", ColumnType.UINT32),
      new TargetTable.Column("similarity", ColumnType.FLOAT32)));

  private final RecommendSettings.Ease ease;

  EaseTrainer(RecommendSettings.Ease ease) {
    this.ease = ease;
  }

  /** Fits on {@code m} and writes generation {@code gen} of {@code model}; {@code clock} measures time and heap. */
  ModelTraining train(Connection c, PurchaseMatrix m, String model, long gen, TrainingClock clock) throws SQLException {
    if (m.items().size() < 2) {
      return clock.done("ease", m, 0);
    }
    EaseModel model0 = m.fitEase(ease.lambda());
    List<String> items = m.items();
    long rows = RowBinaryInsert.insert(c, NEIGHBORS, out -> {
      for (int i = 0; i < items.size(); i++) {
        for (int j : model0.strongest(i, ease.neighbors())) {
          out.writeString(model);
          out.writeInt64(gen);
          out.writeString("ease");
          out.writeString(items.get(i));
          out.writeString(items.get(j));
          out.writeInt32(model0.together(i, j));
          out.writeFloat32((float) model0.weight(i, j));
        }
      }
    });
    return clock.done("ease lambda=" + ease.lambda(), m, rows);
  }
}
