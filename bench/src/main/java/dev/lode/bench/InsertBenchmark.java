package dev.lode.bench;

import dev.lode.config.LodeConfig;
import dev.lode.warehouse.Warehouse;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * {@code bin/lode bench insert [rows] [repeats]}: rows/s of inserting N event-like rows
 * through clickhouse-jdbc prepared-statement batches, next to the same rows generated and
 * inserted inside the engine ({@code INSERT … SELECT … FROM numbers(N)}), as a ratio.
 * Both runs check that count and sums came back exact.
 */
public final class InsertBenchmark implements Benchmark {
  private static final String COLUMNS = "(id UInt64, distinct_id String, event_time DateTime64(3, 'UTC'),"
      + " event_name LowCardinality(String), price Decimal(18, 4), quantity Int32)";
  private static final String[] NAMES = {"page_view", "product_view", "add_to_cart", "checkout", "purchase"};

  @Override
  public String name() {
    return "insert";
  }

  @Override
  public String summary() {
    return "rows/s for N-row inserts through clickhouse-jdbc vs INSERT … SELECT inside the engine";
  }

  @Override
  public void run(List<String> args) throws Exception {
    int rows = args.isEmpty() ? 1_000_000 : Integer.parseInt(args.get(0));
    int repeats = args.size() < 2 ? 3 : Integer.parseInt(args.get(1));
    int batch = 100_000;
    LodeConfig base = LodeConfig.load();
    Path dir = null;
    LodeConfig config = base;
    if (base.get("lode.warehouse.url").isEmpty()) {
      dir = Files.createTempDirectory("lode-bench-insert-");
      config = base.with("lode.data.dir", dir.toString());
    }
    try (Warehouse w = Warehouse.open(config); Connection c = w.connect(); Statement st = c.createStatement()) {
      System.out.printf("bench insert: %,d rows x %d repeats, jdbc batches of %,d, warehouse %s%n", rows, repeats, batch,
          w.embedded() ? "embedded ClickHouse " + w.engine().orElseThrow().version() : w.jdbcUrl());
      double[] jdbc = new double[repeats];
      double[] engine = new double[repeats];
      for (int r = 0; r < repeats; r++) {
        st.execute("DROP TABLE IF EXISTS bench_jdbc");
        st.execute("DROP TABLE IF EXISTS bench_engine");
        st.execute("CREATE TABLE bench_jdbc " + COLUMNS + " ENGINE = MergeTree ORDER BY (distinct_id, event_time, id)");
        st.execute("CREATE TABLE bench_engine " + COLUMNS + " ENGINE = MergeTree ORDER BY (distinct_id, event_time, id)");
        long t0 = System.nanoTime();
        insertThroughJdbc(c, rows, batch);
        jdbc[r] = rows / ((System.nanoTime() - t0) / 1e9);
        long t1 = System.nanoTime();
        st.execute("INSERT INTO bench_engine SELECT number, concat('p', toString(number % 50000)),"
            + " toDateTime64('2026-01-01 00:00:00', 3, 'UTC') + toIntervalMillisecond(number * 10),"
            + " ['page_view','product_view','add_to_cart','checkout','purchase'][number % 5 + 1],"
            + " toDecimal64(number % 1000, 4) / 100, toInt32(number % 7 + 1) FROM numbers(" + rows + ")");
        engine[r] = rows / ((System.nanoTime() - t1) / 1e9);
        verify(st, rows);
      }
      double j = median(jdbc);
      double e = median(engine);
      System.out.printf("  clickhouse-jdbc batches   %,12.0f rows/s   (median of %d; runs %s)%n", j, repeats, fmt(jdbc));
      System.out.printf("  engine INSERT ... SELECT  %,12.0f rows/s   (median of %d; runs %s)%n", e, repeats, fmt(engine));
      System.out.printf("  ratio jdbc / engine       %12.2f%n", j / e);
      System.out.println("  both tables verified: equal count, sum(id), sum(price), sum(quantity)");
    } finally {
      if (dir != null) {
        deleteTree(dir);
      }
    }
  }

  private static void insertThroughJdbc(Connection c, int rows, int batch) throws SQLException {
    long epoch = Timestamp.valueOf("2026-01-01 00:00:00").getTime();
    try (PreparedStatement ps = c.prepareStatement(
        "INSERT INTO bench_jdbc (id, distinct_id, event_time, event_name, price, quantity) VALUES (?, ?, ?, ?, ?, ?)")) {
      for (int i = 0; i < rows; i++) {
        ps.setLong(1, i);
        ps.setString(2, "p" + (i % 50000));
        ps.setTimestamp(3, new Timestamp(epoch + i * 10L));
        ps.setString(4, NAMES[i % 5]);
        ps.setBigDecimal(5, BigDecimal.valueOf(i % 1000, 2));
        ps.setInt(6, i % 7 + 1);
        ps.addBatch();
        if ((i + 1) % batch == 0) {
          ps.executeBatch();
        }
      }
      if (rows % batch != 0) {
        ps.executeBatch();
      }
    }
  }

  private static void verify(Statement st, int rows) throws SQLException {
    String q = "SELECT count(), sum(id), sum(price), sum(quantity), uniqExact(event_name) FROM ";
    List<String> a = row(st, q + "bench_jdbc");
    List<String> b = row(st, q + "bench_engine");
    if (!a.equals(b) || Long.parseLong(a.get(0)) != rows) {
      throw new IllegalStateException("inserted data differ: jdbc " + a + " vs engine " + b);
    }
  }

  private static List<String> row(Statement st, String sql) throws SQLException {
    try (ResultSet rs = st.executeQuery(sql)) {
      rs.next();
      List<String> out = new ArrayList<>();
      for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
        out.add(new BigDecimal(rs.getString(i)).stripTrailingZeros().toPlainString());
      }
      return out;
    }
  }

  static double median(double[] xs) {
    double[] s = xs.clone();
    Arrays.sort(s);
    return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
  }

  private static String fmt(double[] xs) {
    StringBuilder b = new StringBuilder();
    for (double x : xs) {
      b.append(b.isEmpty() ? "" : ", ").append(String.format("%,.0f", x));
    }
    return b.toString();
  }

  static void deleteTree(Path dir) throws java.io.IOException {
    try (var walk = Files.walk(dir)) {
      for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }
}
