package dev.lode.bi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Metabase's druid-jdbc driver through the shaded Avatica 1.23.0 it bundles: its connection
 * (fixed Druid path, JSON, user/password properties, sqlTimeZone), its version probe, its sync
 * and the SQL its query processor emits. SQL text and calls follow
 * modules/drivers/druid-jdbc/src/metabase/driver/druid_jdbc.clj and the generic sql-jdbc sync
 * (src/metabase/driver/sql_jdbc/sync/describe_database.clj, describe_table.clj) and binning
 * (src/metabase/driver/sql/query_processor.clj, apply-binning) of metabase/metabase.
 * Every number is compared with the same question asked of ClickHouse.
 */
class MetabaseDruidJdbcTest {
  static final String T = "\"lode\".\"events\".\"event_time\"";
  static final String WHERE = " FROM \"lode\".\"events\" WHERE \"lode\".\"events\".\"event_name\" IN"
      + " ('compat_view', 'compat_cart', 'compat_buy')";
  static final String NATIVE_WHERE = " FROM events WHERE " + CompatEvents.ONLY;

  @BeforeAll
  static void data() throws SQLException {
    CompatEvents.load();
  }

  private static Connection connect() throws SQLException {
    return MetabaseAvatica.connect(LodeEndpoint.analyst().name(), LodeEndpoint.analyst().password());
  }

  private static Answer lode(String sql) throws SQLException {
    try (Connection c = connect(); Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
      return Answer.of(rs);
    }
  }

  /** dbms-version: GET HOST:PORT/status, "version" read with ^(\d+)\.(\d+). */
  @Test
  void statusCarriesAVersionMetabaseParses() throws IOException, InterruptedException {
    HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
        URI.create(LodeEndpoint.base() + "/status")).GET().build(), HttpResponse.BodyHandlers.ofString());
    assertEquals(200, r.statusCode(), r.body());
    var version = new com.fasterxml.jackson.databind.ObjectMapper().readTree(r.body()).path("version").asText();
    assertTrue(Pattern.compile("^(\\d+)\\.(\\d+)").matcher(version).find(), r.body());
  }

  /** The login travels only as the user/password connection properties; a wrong one is refused. */
  @Test
  void logsInWithUserAndPasswordProperties() throws SQLException {
    assertEquals(CompatEvents.natively("SELECT count()" + NATIVE_WHERE), lode("SELECT COUNT(*) AS \"count\"" + WHERE));
    // the login is refused; the 1.23 client raises a refused HTTP call as an unchecked exception
    Exception e = assertThrows(Exception.class, () -> {
      try (Connection c = MetabaseAvatica.connect(LodeEndpoint.analyst().name(), "not-the-password");
           Statement st = c.createStatement()) {
        st.executeQuery("SELECT 1").close();
      }
    });
    assertTrue(String.valueOf(e.getMessage()).toLowerCase().matches("(?s).*(auth|password|denied|401).*"),
        e.getMessage());
  }

  /**
   * Sync: getSchemas, getTables with Metabase's type list, its select-privilege probe per table,
   * getColumns with TYPE_NAME mapped to a base type by exact match (anything unmatched is :type/*).
   */
  @Test
  void syncFindsTablesAndTypesMetabaseUnderstands() throws SQLException {
    Map<String, String> baseTypes = Map.of("TIMESTAMP", "DateTime", "VARCHAR", "Text", "DECIMAL", "Decimal",
        "FLOAT", "Float", "REAL", "Float", "DOUBLE", "Float", "BIGINT", "BigInteger");
    try (Connection c = connect()) {
      DatabaseMetaData md = c.getMetaData();
      Set<String> schemas = new TreeSet<>();
      try (ResultSet rs = md.getSchemas()) {
        while (rs.next()) {
          schemas.add(rs.getString("TABLE_SCHEM"));
        }
      }
      assertTrue(schemas.contains("lode"), schemas.toString());
      Set<String> tables = new TreeSet<>();
      try (ResultSet rs = md.getTables(null, "lode", "%", new String[] {"TABLE", "PARTITIONED TABLE", "VIEW",
          "FOREIGN TABLE", "MATERIALIZED VIEW", "EXTERNAL TABLE", "DYNAMIC_TABLE"})) {
        while (rs.next()) {
          tables.add(rs.getString("TABLE_NAME"));
          rs.getString("TABLE_TYPE");
          rs.getString("REMARKS");
        }
      }
      assertTrue(tables.containsAll(List.of("events", "persons", "orders")), tables.toString());
      try (Statement st = c.createStatement()) {
        st.setQueryTimeout(15);
        // simple-select-probe-query
        try (ResultSet rs = st.executeQuery("SELECT TRUE AS \"_\" FROM \"lode\".\"events\" WHERE 1 <> 1 LIMIT 0")) {
          assertFalse(rs.next());
        }
      }
      Map<String, String> mapped = new LinkedHashMap<>();
      try (ResultSet rs = md.getColumns(null, "lode", "events", null)) {
        while (rs.next()) {
          String type = rs.getString("TYPE_NAME");
          assertFalse(type == null || type.isBlank(), rs.getString("COLUMN_NAME") + " has a blank TYPE_NAME");
          rs.getString("COLUMN_DEF");
          rs.getInt("NULLABLE");
          rs.getString("IS_AUTOINCREMENT");
          mapped.put(rs.getString("COLUMN_NAME"), baseTypes.getOrDefault(type, "* (" + type + ")"));
        }
      }
      assertEquals("DateTime", mapped.get("event_time"), mapped.toString());
      assertEquals("Text", mapped.get("event_name"), mapped.toString());
      assertEquals("Decimal", mapped.get("price"), mapped.toString());
      // dwell_ms is a UInt64: a whole number Metabase can bin and sum
      assertTrue(Set.of("BigInteger", "Decimal").contains(mapped.get("dwell_ms")), mapped.toString());
    }
  }

  /** Every TIME_EXTRACT unit druid-jdbc emits (Druid semantics: dow is ISO, 1 = Monday; week is ISO). */
  @Test
  void timeExtractForEveryUnit() throws SQLException {
    Map<String, String> units = new LinkedHashMap<>();
    units.put("minute", "toMinute(event_time)");
    units.put("hour", "toHour(event_time)");
    units.put("dow", "toDayOfWeek(event_time)");
    units.put("day", "toDayOfMonth(event_time)");
    units.put("doy", "toDayOfYear(event_time)");
    units.put("week", "toISOWeek(event_time)");
    units.put("month", "toMonth(event_time)");
    units.put("quarter", "toQuarter(event_time)");
    StringBuilder failures = new StringBuilder();
    for (var u : units.entrySet()) {
      String e = "TIME_EXTRACT(" + T + ", '" + u.getKey() + "')";
      compare(failures, "SELECT " + e + " AS \"event_time\", COUNT(*) AS \"count\"" + WHERE + " GROUP BY " + e
              + " ORDER BY " + e + " ASC",
          "SELECT " + u.getValue() + " AS t, count()" + NATIVE_WHERE + " GROUP BY t ORDER BY t");
    }
    assertEquals("", failures.toString());
  }

  /**
   * Bucketing: druid-jdbc's DATE_TRUNC per unit; Druid's TIME_FLOOR per ISO period (what Druid's
   * SQL documentation and Metabase's older native Druid driver use); and the generic sql driver's
   * start-of-week adjustment for a Sunday week (adjust-start-of-week), rendered with druid-jdbc's
   * TIMESTAMPADD.
   */
  @Test
  void bucketingByEveryUnit() throws SQLException {
    Map<String, String> truncs = new LinkedHashMap<>();
    truncs.put("DATE_TRUNC('minute', " + T + ")", "toStartOfMinute(event_time)");
    truncs.put("DATE_TRUNC('hour', " + T + ")", "toStartOfHour(event_time)");
    truncs.put("DATE_TRUNC('day', " + T + ")", "toStartOfDay(event_time)");
    truncs.put("DATE_TRUNC('week', " + T + ")", "toDateTime(toMonday(event_time), 'UTC')");
    truncs.put("DATE_TRUNC('month', " + T + ")", "toDateTime(toStartOfMonth(event_time), 'UTC')");
    truncs.put("DATE_TRUNC('quarter', " + T + ")", "toDateTime(toStartOfQuarter(event_time), 'UTC')");
    truncs.put("DATE_TRUNC('year', " + T + ")", "toDateTime(toStartOfYear(event_time), 'UTC')");
    truncs.put("TIME_FLOOR(" + T + ", 'PT1M')", "toStartOfMinute(event_time)");
    truncs.put("TIME_FLOOR(" + T + ", 'PT1H')", "toStartOfHour(event_time)");
    truncs.put("TIME_FLOOR(" + T + ", 'P1D')", "toStartOfDay(event_time)");
    truncs.put("TIME_FLOOR(" + T + ", 'P1W')", "toDateTime(toMonday(event_time), 'UTC')");
    truncs.put("TIME_FLOOR(" + T + ", 'P1M')", "toDateTime(toStartOfMonth(event_time), 'UTC')");
    truncs.put("TIME_FLOOR(" + T + ", 'P3M')", "toDateTime(toStartOfQuarter(event_time), 'UTC')");
    truncs.put("TIME_FLOOR(" + T + ", 'P1Y')", "toDateTime(toStartOfYear(event_time), 'UTC')");
    // weeks starting on Sunday: shift a day forward, truncate to the (Monday) week, shift back
    truncs.put("TIMESTAMPADD(day, -1, DATE_TRUNC('week', TIMESTAMPADD(day, 1, " + T + ")))",
        "toDateTime(toStartOfWeek(event_time, 0), 'UTC')");
    StringBuilder failures = new StringBuilder();
    for (var t : truncs.entrySet()) {
      compare(failures, "SELECT " + t.getKey() + " AS \"event_time\", COUNT(*) AS \"count\"" + WHERE + " GROUP BY "
          + t.getKey() + " ORDER BY " + t.getKey() + " ASC",
          "SELECT " + t.getValue() + " AS t, count()" + NATIVE_WHERE + " GROUP BY t ORDER BY t");
    }
    assertEquals("", failures.toString());
  }

  /** apply-binning: FLOOR((x - min) / width) * width + min, with and without a min-value. */
  @Test
  void numericBinning() throws SQLException {
    StringBuilder failures = new StringBuilder();
    String price = "\"lode\".\"events\".\"price\"";
    Map<String, String> bins = new LinkedHashMap<>();
    bins.put("FLOOR((" + price + " / 10)) * 10", "floor(toFloat64(price) / 10) * 10");
    bins.put("(FLOOR(((" + price + " - 1.0) / 2.5)) * 2.5) + 1.0", "floor((toFloat64(price) - 1.0) / 2.5) * 2.5 + 1.0");
    for (var b : bins.entrySet()) {
      compare(failures, "SELECT " + b.getKey() + " AS \"price\", COUNT(*) AS \"count\"" + WHERE + " GROUP BY "
          + b.getKey() + " ORDER BY " + b.getKey() + " ASC",
          "SELECT " + b.getValue() + " AS p, count()" + NATIVE_WHERE + " GROUP BY p", false);
    }
    assertEquals("", failures.toString());
  }

  /**
   * Temporal parameters: druid-jdbc sets them as 'yyyy-MM-dd HH:mm:ss.SSS' strings, inside
   * DATE_TRUNC(unit, ?) too; date filters inline 'yyyy-MM-dd'; relative filters use TIMESTAMPADD
   * from CURRENT_TIMESTAMP.
   */
  @Test
  void temporalParametersAndRelativeFilters() throws SQLException {
    try (Connection c = connect()) {
      try (PreparedStatement ps = c.prepareStatement("SELECT COUNT(*) AS \"count\"" + WHERE + " AND DATE_TRUNC('day', "
          + T + ") >= ? AND DATE_TRUNC('day', " + T + ") < ?")) {
        ps.setString(1, "2034-01-10 00:00:00.000");
        ps.setString(2, "2034-02-01 00:00:00.000");
        try (ResultSet rs = ps.executeQuery()) {
          assertEquals(CompatEvents.natively("SELECT count()" + NATIVE_WHERE + " AND toStartOfDay(event_time)"
              + " >= '2034-01-10 00:00:00' AND toStartOfDay(event_time) < '2034-02-01 00:00:00'"), Answer.of(rs));
        }
      }
      try (PreparedStatement ps = c.prepareStatement("SELECT COUNT(*) AS \"count\"" + WHERE + " AND DATE_TRUNC('week', "
          + T + ") = DATE_TRUNC('week', ?)")) {
        ps.setString(1, "2034-01-18 12:00:00.000");
        try (ResultSet rs = ps.executeQuery()) {
          assertEquals(CompatEvents.natively("SELECT count()" + NATIVE_WHERE
              + " AND toMonday(event_time) = toMonday(toDateTime('2034-01-18 12:00:00', 'UTC'))"), Answer.of(rs));
        }
      }
    }
    assertEquals(CompatEvents.natively("SELECT count()" + NATIVE_WHERE + " AND event_time >= '2034-03-01'"),
        lode("SELECT COUNT(*) AS \"count\"" + WHERE + " AND " + T + " >= '2034-03-01'"));
    assertEquals(CompatEvents.natively("SELECT count()" + NATIVE_WHERE + " AND event_time >= now() - INTERVAL 30 DAY"),
        lode("SELECT COUNT(*) AS \"count\"" + WHERE + " AND " + T
            + " >= TIMESTAMPADD(day, CAST(-30 AS integer), CURRENT_TIMESTAMP)"));
  }

  private static void compare(StringBuilder failures, String sql, String nativeSql) throws SQLException {
    compare(failures, sql, nativeSql, true);
  }

  private static void compare(StringBuilder failures, String sql, String nativeSql, boolean ordered)
      throws SQLException {
    Answer expected = ordered ? CompatEvents.natively(nativeSql) : CompatEvents.natively(nativeSql).sorted();
    assertFalse(expected.rows().isEmpty(), nativeSql);
    try {
      Answer got = ordered ? lode(sql) : lode(sql).sorted();
      if (!expected.equals(got)) {
        failures.append(sql).append("\n  Lode:       ").append(got.rows().stream().limit(4).toList())
            .append(" (").append(got.rows().size()).append(" rows)\n  ClickHouse: ")
            .append(expected.rows().stream().limit(4).toList()).append(" (").append(expected.rows().size())
            .append(" rows)\n");
      }
    } catch (SQLException e) {
      failures.append(sql).append("\n  ").append(e.getSQLState()).append(' ').append(ServerReason.of(e))
          .append('\n');
    }
  }
}
