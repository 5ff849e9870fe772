package dev.lode.bench;

import dev.lode.warehouse.insert.ColumnType;
import dev.lode.warehouse.insert.RowBinaryInsert;
import dev.lode.warehouse.insert.TargetTable;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;

/**
 * Loads a public implicit-feedback dataset with a fixed train/test split in the layout of the
 * LightGCN / NGCF repositories ({@code train.txt} and {@code test.txt}, one line per user:
 * {@code user item item …}) into {@code order_lines}: one completed line per (user, item), person
 * {@code <prefix>:<user>}, item {@code <item>}. Training lines are dated {@link #TRAIN_TIME} and test
 * lines {@link #TEST_TIME}, so {@code rec_eval}'s temporal protocol with the cutoff {@link #CUTOFF}
 * evaluates exactly the dataset's own split (train before the cutoff, test after).
 */
final class GivenSplitFixture {
  static final Instant TRAIN_TIME = Instant.parse("2020-01-01T00:00:00Z");
  static final Instant CUTOFF = Instant.parse("2020-02-01T00:00:00Z");
  static final Instant TEST_TIME = Instant.parse("2020-03-01T00:00:00Z");
  static final Instant END = Instant.parse("2020-04-01T00:00:00Z");

  private static final TargetTable LINES = new TargetTable("order_lines", List.of(
      new TargetTable.Column("order_id", ColumnType.STRING), new TargetTable.Column("line_no", ColumnType.UINT32),
      new TargetTable.Column("customer_key", ColumnType.STRING), new TargetTable.Column("person_id", ColumnType.STRING),
      new TargetTable.Column("order_time", ColumnType.DATETIME64), new TargetTable.Column("item_id", ColumnType.STRING),
      new TargetTable.Column("quantity", ColumnType.INT32), new TargetTable.Column("unit_price", ColumnType.DECIMAL),
      new TargetTable.Column("status", ColumnType.STRING), new TargetTable.Column("source", ColumnType.STRING),
      new TargetTable.Column("loaded_at", ColumnType.DATETIME64)));

  /** What was loaded: lines per side and distinct users and items over both files. */
  record Loaded(long trainLines, long testLines, int users, int items, long millis) {
  }

  private GivenSplitFixture() {
  }

  static Loaded load(Connection c, Path dir, String prefix) throws IOException, SQLException {
    long t0 = System.nanoTime();
    java.util.Set<String> users = new java.util.HashSet<>();
    java.util.Set<String> items = new java.util.HashSet<>();
    long train = insert(c, dir.resolve("train.txt"), prefix, "train", TRAIN_TIME, users, items);
    long test = insert(c, dir.resolve("test.txt"), prefix, "test", TEST_TIME, users, items);
    return new Loaded(train, test, users.size(), items.size(), (System.nanoTime() - t0) / 1_000_000);
  }

  private static long insert(Connection c, Path file, String prefix, String side, Instant time,
                             java.util.Set<String> users, java.util.Set<String> items) throws IOException, SQLException {
    if (!Files.isRegularFile(file)) {
      throw new IOException(file + " not found: the directory needs train.txt and test.txt (LightGCN layout)");
    }
    long now = System.currentTimeMillis();
    try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      return RowBinaryInsert.insert(c, LINES, out -> {
        String line;
        int no = 0;
        while ((line = in.readLine()) != null) {
          no++;
          String[] f = line.trim().split("\\s+");
          if (f.length == 0 || f[0].isEmpty()) {
            continue;
          }
          String user = f[0];
          if (!user.matches("\\d+")) {
            throw new UncheckedIOException(new IOException(file + " line " + no + ": a user id, got '" + user + "'"));
          }
          users.add(user);
          for (int j = 1; j < f.length; j++) {
            items.add(f[j]);
            out.writeString(prefix + ":" + side + ":" + user + ":" + f[j]);
            out.writeInt32(1);
            out.writeString(user);
            out.writeString(prefix + ":" + user);
            out.writeInt64(time.toEpochMilli());
            out.writeString(f[j]);
            out.writeInt32(1);
            out.writeInt64(10_000); // Decimal(18, 4): 1.0000
            out.writeString("completed");
            out.writeString(prefix);
            out.writeInt64(now);
          }
        }
      });
    }
  }
}
