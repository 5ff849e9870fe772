package dev.lode.sql;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.apache.calcite.runtime.Hook;

/**
 * Rows as comparable text — timestamps as their UTC wall-clock time, numbers without trailing
 * zeros — for questions asked through Lode and natively of ClickHouse, and the ClickHouse SQL
 * Lode generated meanwhile (Calcite's QUERY_PLAN hook, in the server's JVM).
 */
final class Native {
  static final List<String> GENERATED = new CopyOnWriteArrayList<>();
  private static final Consumer<Object> CAPTURE = sql -> GENERATED.add(String.valueOf(sql).replaceAll("\\s+", " "));

  private Native() {
  }

  @SuppressWarnings("deprecation") // process-wide: the server plans on its own threads
  static Hook.Closeable capture() {
    return Hook.QUERY_PLAN.add(CAPTURE);
  }

  /** The rows of {@code sql} asked natively of ClickHouse over clickhouse-jdbc. */
  static List<List<String>> clickhouse(String sql) throws SQLException {
    try (Connection w = SqlClient.warehouse(); Statement st = w.createStatement(); ResultSet rs = st.executeQuery(sql)) {
      return rows(rs);
    }
  }

  /** The rows of a prepared statement through the Avatica driver. */
  static List<List<String>> rows(PreparedStatement ps) throws SQLException {
    try (ResultSet rs = ps.executeQuery()) {
      return rows(rs);
    }
  }

  static List<List<String>> rows(ResultSet rs) throws SQLException {
    List<List<String>> out = new ArrayList<>();
    int n = rs.getMetaData().getColumnCount();
    while (rs.next()) {
      List<String> row = new ArrayList<>();
      for (int i = 1; i <= n; i++) {
        Object v = rs.getObject(i);
        row.add(v instanceof java.sql.Array a ? elements(a) : v == null ? null
            : v instanceof java.sql.Timestamp t ? t.toLocalDateTime().toString()
            : v instanceof java.time.temporal.Temporal t ? t.toString().replace("Z", "").replace("[UTC]", "")
            : v instanceof Double d && d.isNaN() ? "NaN"
            : v instanceof Number num ? new BigDecimal(num.toString()).stripTrailingZeros().toPlainString()
            : String.valueOf(v));
      }
      out.add(row);
    }
    return out;
  }

  /** An array's elements as text, {@code [a, b]}, whichever driver's Array it is. */
  private static String elements(java.sql.Array a) throws SQLException {
    Object values = a.getArray();
    List<String> out = new ArrayList<>();
    for (int i = 0; i < java.lang.reflect.Array.getLength(values); i++) {
      Object e = java.lang.reflect.Array.get(values, i);
      out.add(e instanceof Number num ? new BigDecimal(num.toString()).stripTrailingZeros().toPlainString()
          : String.valueOf(e));
    }
    return out.toString();
  }

  /** The one ClickHouse statement generated since the last clear (the server's warm-up query aside). */
  static String generated() {
    List<String> g = new ArrayList<>(GENERATED);
    g.removeIf(s -> s.contains("WHERE `event_name` = ''"));
    if (g.size() != 1) {
      throw new AssertionError("expected one pushed-down statement, got: " + String.join("\n---\n", g));
    }
    return g.get(0);
  }

  /** Lode's rows for {@code sql} equal ClickHouse's for {@code nativeSql}, in one pushed-down statement containing {@code pushed}. */
  static void same(String sql, String nativeSql, String pushed) throws java.sql.SQLException {
    GENERATED.clear();
    List<List<String>> lode;
    try (java.sql.Connection c = SqlClient.connect(dev.lode.config.Credentials.Role.ADMIN);
         java.sql.PreparedStatement ps = c.prepareStatement(sql)) {
      lode = rows(ps);
    }
    org.junit.jupiter.api.Assertions.assertTrue(generated().contains(pushed), pushed + " not in " + generated());
    List<List<String>> expected = clickhouse(nativeSql);
    org.junit.jupiter.api.Assertions.assertFalse(expected.isEmpty(), nativeSql);
    org.junit.jupiter.api.Assertions.assertEquals(expected, lode, sql);
  }
}
