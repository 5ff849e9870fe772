package dev.lode.warehouse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lode.testing.TestWarehouse;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/**
 * The warehouse through clickhouse-jdbc, as every part of Lode uses it: a modern engine,
 * the migrated schema, exact bulk inserts, native behavior functions, engine errors as
 * SQLExceptions, and concurrent use. Runs against the embedded engine, or an external
 * server when LODE_WAREHOUSE_URL is set.
 */
class WarehouseTest {

  @Test
  void versionIsModernClickHouse() throws Exception {
    try (Connection c = TestWarehouse.get().connect(); Statement st = c.createStatement();
         ResultSet rs = st.executeQuery("SELECT version()")) {
      assertTrue(rs.next());
      String v = rs.getString(1);
      int major = Integer.parseInt(v.split("\\.")[0]);
      assertTrue(major >= 24, "ClickHouse version " + v);
    }
  }

  @Test
  void migrationsAreRecordedOnce() throws Exception {
    Warehouse w = TestWarehouse.get();
    assertEquals(0, new SchemaMigrator(w).migrate(), "a second migrate applies nothing");
    try (Connection c = w.connect(); Statement st = c.createStatement();
         ResultSet rs = st.executeQuery("SELECT count() FROM schema_migrations FINAL")) {
      rs.next();
      assertEquals(SchemaMigrator.load().size(), rs.getInt(1));
    }
  }

  @Test
  void millionRowsComeBackWithExactCountsAndSums() throws Exception {
    int rows = 1_000_000;
    long base = Timestamp.valueOf("2026-01-01 00:00:00").getTime();
    try (Connection c = TestWarehouse.get().connect(); Statement st = c.createStatement()) {
      st.execute("DROP TABLE IF EXISTS t_million");
      st.execute("CREATE TABLE t_million (id UInt64, person String, at DateTime64(3, 'UTC'), price Decimal(18, 4),"
          + " qty Int32) ENGINE = MergeTree ORDER BY (person, at, id)");
      BigDecimal expectedPrice = BigDecimal.ZERO;
      long expectedQty = 0;
      try (PreparedStatement ps = c.prepareStatement("INSERT INTO t_million VALUES (?, ?, ?, ?, ?)")) {
        for (int i = 0; i < rows; i++) {
          BigDecimal price = BigDecimal.valueOf(i % 10_007, 2);
          ps.setLong(1, i);
          ps.setString(2, "p" + (i % 9_973));
          ps.setTimestamp(3, new Timestamp(base + i * 7L));
          ps.setBigDecimal(4, price);
          ps.setInt(5, i % 5 - 2);
          ps.addBatch();
          expectedPrice = expectedPrice.add(price);
          expectedQty += i % 5 - 2;
          if ((i + 1) % 50_000 == 0) {
            ps.executeBatch();
          }
        }
      }
      try (ResultSet rs = st.executeQuery(
          "SELECT count(), sum(id), sum(price), sum(qty), uniqExact(person), max(at) FROM t_million")) {
        rs.next();
        assertEquals(rows, rs.getLong(1));
        assertEquals((long) rows * (rows - 1) / 2, rs.getLong(2));
        assertEquals(0, expectedPrice.compareTo(rs.getBigDecimal(3)), "sum(price) " + rs.getBigDecimal(3));
        assertEquals(expectedQty, rs.getLong(4));
        assertEquals(9_973, rs.getLong(5));
        assertEquals(base + (rows - 1) * 7L, rs.getTimestamp(6).getTime());
      } finally {
        st.execute("DROP TABLE t_million");
      }
    }
  }

  @Test
  void batchedInsertsHonourTheColumnList() throws Exception {
    try (Connection c = TestWarehouse.get().connect(); Statement st = c.createStatement()) {
      st.execute("DROP TABLE IF EXISTS t_columns");
      st.execute("CREATE TABLE t_columns (x String, y String DEFAULT 'default-y', z String) ENGINE = MergeTree ORDER BY x");
      try (PreparedStatement ps = c.prepareStatement("INSERT INTO t_columns (z, x) VALUES (?, ?)")) {
        ps.setString(1, "zz");
        ps.setString(2, "xx");
        ps.addBatch();
        ps.executeBatch();
      }
      try (ResultSet rs = st.executeQuery("SELECT x, y, z FROM t_columns")) {
        rs.next();
        assertEquals(List.of("xx", "default-y", "zz"), List.of(rs.getString(1), rs.getString(2), rs.getString(3)));
      } finally {
        st.execute("DROP TABLE t_columns");
      }
    }
  }

  @Test
  void windowFunnelRunsThroughJdbc() throws Exception {
    try (Connection c = TestWarehouse.get().connect(); Statement st = c.createStatement()) {
      st.execute("DROP TABLE IF EXISTS t_funnel");
      st.execute("CREATE TABLE t_funnel (person String, at DateTime, name String) ENGINE = MergeTree ORDER BY (person, at)");
      // a: view → cart → buy within the hour; b: view → cart, buy too late; c: cart only; d: buy → view (wrong order)
      st.execute("INSERT INTO t_funnel VALUES"
          + " ('a', '2026-01-01 10:00:00', 'view'), ('a', '2026-01-01 10:05:00', 'cart'), ('a', '2026-01-01 10:30:00', 'buy'),"
          + " ('b', '2026-01-01 10:00:00', 'view'), ('b', '2026-01-01 10:10:00', 'cart'), ('b', '2026-01-01 12:00:00', 'buy'),"
          + " ('c', '2026-01-01 10:00:00', 'cart'),"
          + " ('d', '2026-01-01 10:00:00', 'buy'), ('d', '2026-01-01 10:01:00', 'view')");
      List<String> levels = new ArrayList<>();
      try (ResultSet rs = st.executeQuery("SELECT person, windowFunnel(3600)(at, name = 'view', name = 'cart', name = 'buy')"
          + " AS level FROM t_funnel GROUP BY person ORDER BY person")) {
        while (rs.next()) {
          levels.add(rs.getString(1) + "=" + rs.getInt(2));
        }
      } finally {
        st.execute("DROP TABLE t_funnel");
      }
      assertEquals(List.of("a=3", "b=2", "c=0", "d=1"), levels);
    }
  }

  @Test
  void malformedQueryGivesTheEngineErrorAndTheWarehouseKeepsServing() throws Exception {
    try (Connection c = TestWarehouse.get().connect(); Statement st = c.createStatement()) {
      SQLException syntax = assertThrows(SQLException.class, () -> st.executeQuery("SELEC 1"));
      assertTrue(syntax.getMessage().contains("Code: 62") && syntax.getMessage().contains("SYNTAX_ERROR"),
          syntax.getMessage());
      assertEquals(62, syntax.getErrorCode());
      SQLException unknown = assertThrows(SQLException.class, () -> st.executeQuery("SELECT * FROM no_such_table"));
      assertEquals(60, unknown.getErrorCode(), unknown.getMessage()); // UNKNOWN_TABLE
      SQLException thrown = assertThrows(SQLException.class, () -> st.executeQuery("SELECT throwIf(number = 3) FROM numbers(10)"));
      assertEquals(395, thrown.getErrorCode(), thrown.getMessage());
      try (ResultSet rs = st.executeQuery("SELECT 40 + 2")) {
        rs.next();
        assertEquals(42, rs.getInt(1));
      }
    }
  }

  @Test
  void concurrentClientsAllGetTheirOwnAnswers() throws Exception {
    Warehouse w = TestWarehouse.get();
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      List<Future<Long>> results = new ArrayList<>();
      for (int t = 0; t < 8; t++) {
        int n = 1000 * (t + 1);
        results.add(pool.submit(() -> {
          long last = -1;
          try (Connection c = w.connect(); Statement st = c.createStatement()) {
            for (int i = 0; i < 20; i++) {
              try (ResultSet rs = st.executeQuery("SELECT sum(number) FROM numbers(" + (n + i) + ")")) {
                rs.next();
                long expected = (long) (n + i) * (n + i - 1) / 2;
                assertEquals(expected, rs.getLong(1), () -> { try { return "column " + rs.getMetaData().getColumnName(1) + " " + rs.getMetaData().getColumnTypeName(1) + " value " + rs.getString(1); } catch (SQLException x) { return x.toString(); } });
                last = rs.getLong(1);
              }
            }
          }
          return last;
        }));
      }
      for (Future<Long> f : results) {
        assertTrue(f.get() > 0);
      }
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void largeResultsStreamCompletely() throws Exception {
    try (Connection c = TestWarehouse.get().connect(); Statement st = c.createStatement();
         ResultSet rs = st.executeQuery("SELECT number, toString(number) FROM numbers(300000)")) {
      long count = 0;
      long sum = 0;
      while (rs.next()) {
        assertEquals(Long.toString(rs.getLong(1)), rs.getString(2));
        sum += rs.getLong(1);
        count++;
      }
      assertEquals(300_000, count);
      assertEquals(300_000L * 299_999 / 2, sum);
    }
  }
}
