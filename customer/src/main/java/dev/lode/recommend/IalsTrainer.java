package dev.lode.recommend;

import dev.lode.warehouse.insert.ColumnType;
import dev.lode.warehouse.insert.RowBinaryInsert;
import dev.lode.warehouse.insert.TargetTable;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;

/**
 * Trains the {@code ials} source of a model generation: fits {@link IalsModel} in the JVM on the
 * purchase matrix, writes the factors to {@code rec_factors} and each person's best items (their
 * training purchases left out) to {@code rec_person_items}, so recommending reads them with a point
 * lookup by person like the other precomputed sources.
 */
final class IalsTrainer {
  private static final TargetTable FACTORS = new TargetTable("rec_factors", List.of(
      new TargetTable.Column("model", ColumnType.STRING), new TargetTable.Column("generation", ColumnType.UINT64),
      new TargetTable.Column("side", ColumnType.STRING), new TargetTable.Column("id", ColumnType.STRING),
      new TargetTable.Column("factors", ColumnType.ARRAY)));
  private static final TargetTable PERSON_ITEMS = new TargetTable("rec_person_items", List.of(
      new TargetTable.Column("model", ColumnType.STRING), new TargetTable.Column("generation", ColumnType.UINT64),
      new TargetTable.Column("kind", ColumnType.STRING), new TargetTable.Column("person_id", ColumnType.STRING),
      new TargetTable.Column("item_id", ColumnType.STRING), new TargetTable.Column("score", ColumnType.FLOAT32)));

  private final RecommendSettings.Ials ials;

  IalsTrainer(RecommendSettings.Ials ials) {
    this.ials = ials;
  }

  /** Fits on {@code m} and writes generation {@code gen} of {@code model}; {@code clock} measures time and heap. */
  ModelTraining train(Connection c, PurchaseMatrix m, String model, long gen, TrainingClock clock) throws SQLException {
    if (m.items().size() < 2) {
      return clock.done("ials", m, 0);
    }
    IalsModel fitted = m.fitIals(ials.params());
    List<String> persons = m.persons();
    List<String> items = m.items();
    long rows = RowBinaryInsert.insert(c, FACTORS, out -> {
      for (int side = 0; side < 2; side++) {
        int n = side == 0 ? persons.size() : items.size();
        for (int i = 0; i < n; i++) {
          double[] v = side == 0 ? fitted.personFactors(i) : fitted.itemFactors(i);
          out.writeString(model);
          out.writeInt64(gen);
          out.writeString(side == 0 ? "person" : "item");
          out.writeString(side == 0 ? persons.get(i) : items.get(i));
          out.writeVarUInt(v.length);
          for (double d : v) {
            out.writeFloat32((float) d);
          }
        }
      }
    });
    rows += RowBinaryInsert.insert(c, PERSON_ITEMS, out -> {
      java.io.IOException[] failed = {null};
      fitted.top(ials.perPerson(), (u, best, scores) -> {
        if (failed[0] != null) {
          return;
        }
        try {
          for (int j = 0; j < best.length; j++) {
            out.writeString(model);
            out.writeInt64(gen);
            out.writeString("ials");
            out.writeString(persons.get(u));
            out.writeString(items.get(best[j]));
            out.writeFloat32((float) scores[j]);
          }
        } catch (java.io.IOException e) {
          failed[0] = e;
        }
      });
      if (failed[0] != null) {
        throw failed[0];
      }
    });
    return clock.done(ials.describe(), m, rows);
  }
}
