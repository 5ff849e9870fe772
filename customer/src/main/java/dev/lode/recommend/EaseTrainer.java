package dev.lode.recommend;

import dev.lode.warehouse.insert.ColumnType;
import dev.lode.warehouse.insert.RowBinaryInsert;
import dev.lode.warehouse.insert.TargetTable;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.List;

/**
 * Trains the {@code ease} source of a model generation: reads the purchase matrix before the
 * cutoff from ClickHouse, fits {@link EaseModel} in the JVM, and writes each item's strongest
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

  /** Trains on the purchases in {@code lines} before {@code cutoff} and writes generation {@code gen} of {@code model}. */
  ModelTraining train(Connection c, String lines, String model, long gen, Instant cutoff) throws SQLException {
    long t0 = System.nanoTime();
    List<MemoryPoolMXBean> heap = ManagementFactory.getMemoryPoolMXBeans().stream()
        .filter(p -> p.getType() == MemoryType.HEAP).toList();
    heap.forEach(MemoryPoolMXBean::resetPeakUsage);
    PurchaseMatrix m;
    try (Statement st = c.createStatement()) {
      m = PurchaseMatrix.read(st, lines, cutoff, ease.maxItems());
    }
    if (m.items().size() < 2) {
      return new ModelTraining("ease", m.persons().size(), m.items().size(), m.pairs(), 0,
          (System.nanoTime() - t0) / 1_000_000, 0);
    }
    EaseModel model0 = m.fitEase(ease.lambda());
    long peak = heap.stream().mapToLong(p -> p.getPeakUsage().getUsed()).sum() >> 20;
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
    return new ModelTraining("ease lambda=" + ease.lambda(), m.persons().size(), items.size(), m.pairs(), rows,
        (System.nanoTime() - t0) / 1_000_000, peak);
  }
}
