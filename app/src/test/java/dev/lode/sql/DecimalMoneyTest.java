package dev.lode.sql;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import dev.lode.config.Credentials;
import dev.lode.profiles.ProfileRefresher;
import dev.lode.profiles.ProfileSettings;
import dev.lode.testing.TestWarehouse;
import dev.lode.warehouse.SqlLiteral;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Money reaches a JDBC client through Avatica as {@link BigDecimal} with its four decimals, and
 * sums of it — pushed down to ClickHouse or read from profiles — equal a BigDecimal sum of the
 * amounts the test wrote, to the cent.
 */
class DecimalMoneyTest {
  private static final Map<String, BigDecimal> REVENUE = new TreeMap<>();
  private static BigDecimal grandTotal = BigDecimal.ZERO;

  @BeforeAll
  static void orders() throws SQLException {
    StringBuilder values = new StringBuilder();
    java.util.Random rnd = new java.util.Random(5);
    for (int p = 0; p < 40; p++) {
      String person = "money-p" + p;
      for (int k = 0; k < 1 + p % 7; k++) {
        // 338.49, 0.1 + 0.2: amounts a binary float rounds
        BigDecimal total = p == 0 ? new BigDecimal("338.49") : BigDecimal.valueOf(1 + rnd.nextInt(9_000_000), 2);
        REVENUE.merge(person, total, BigDecimal::add);
        grandTotal = grandTotal.add(total);
        values.append(values.isEmpty() ? "" : ", ").append("(").append(SqlLiteral.string(person + "-o" + k))
            .append(", '', ").append(SqlLiteral.string(person)).append(", ")
            .append(SqlLiteral.timestamp(Instant.parse("2026-03-01T10:00:00Z").plusSeconds(3600L * k + p)))
            .append(", 'completed', toDecimal64(").append(SqlLiteral.string(total.toPlainString()))
            .append(", 4), 'EUR', '', 'web', 'test', now64(3))");
      }
    }
    SqlClient.server();
    try (Connection c = TestWarehouse.get().connect(); Statement st = c.createStatement()) {
      st.execute("INSERT INTO orders (order_id, customer_key, person_id, order_time, status, total, currency, country,"
          + " channel, source, loaded_at) VALUES " + values);
    }
    new ProfileRefresher(TestWarehouse.get(), new ProfileSettings(7, 2000)).refreshAll(Instant.parse("2026-04-01T00:00:00Z"));
  }

  @Test
  void profileRevenueIsADecimalToTheCent() throws SQLException {
    assertEquals(stripped(REVENUE), money("SELECT person_id, revenue FROM profiles WHERE person_id LIKE 'money-%'"));
    assertEquals(new BigDecimal("338.4900"), REVENUE.get("money-p0").setScale(4));
  }

  @Test
  void pushedDownSumsOfOrderTotalsAreExact() throws SQLException {
    assertEquals(stripped(REVENUE), money("SELECT person_id, SUM(total) AS revenue FROM orders WHERE person_id LIKE 'money-%'"
        + " GROUP BY person_id"));
    Map<String, BigDecimal> all = money("SELECT 'all' AS k, SUM(total) AS revenue FROM orders WHERE person_id LIKE 'money-%'");
    assertEquals(Map.of("all", grandTotal.stripTrailingZeros()), all, "the grand total (" + grandTotal + ") to the cent");
  }

  private static Map<String, BigDecimal> stripped(Map<String, BigDecimal> m) {
    Map<String, BigDecimal> out = new TreeMap<>();
    m.forEach((k, v) -> out.put(k, v.stripTrailingZeros()));
    return out;
  }

  // person → money read through Avatica; checks the column is DECIMAL with scale 4 and each value a BigDecimal
  private static Map<String, BigDecimal> money(String sql) throws SQLException {
    Map<String, BigDecimal> out = new HashMap<>();
    try (Connection c = SqlClient.connect(Credentials.Role.ANALYST); Statement st = c.createStatement();
         ResultSet rs = st.executeQuery(sql)) {
      ResultSetMetaData md = rs.getMetaData();
      assertEquals(Types.DECIMAL, md.getColumnType(2), sql + ": " + md.getColumnTypeName(2));
      assertEquals(4, md.getScale(2), sql);
      while (rs.next()) {
        BigDecimal v = assertInstanceOf(BigDecimal.class, rs.getObject(2), sql);
        assertEquals(4, v.scale(), sql + ": " + v);
        out.put(rs.getString(1), v.stripTrailingZeros());
      }
    }
    Map<String, BigDecimal> sorted = new TreeMap<>();
    out.forEach(sorted::put);
    return sorted;
  }
}
