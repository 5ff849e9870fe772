package dev.lode.sql;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lode.config.Credentials;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * What BI tools need from the endpoint: DatabaseMetaData for schema browsers, the time-grain
 * SQL Superset, Metabase and Tableau emit, both serializations and the Druid-compatible path
 * Metabase's driver uses.
 */
class BiCompatibilityTest {
  // 2032-02-03 04:05:06 UTC and a day and an hour later
  private static final long T = 1_959_393_906_000L;

  @BeforeAll
  static void data() throws SQLException {
    try (Connection w = SqlClient.warehouse()) {
      Ev.insert(w, List.of(new Ev("bi-1", "bi-a", T, "bi_event", "UK", "/", ""),
          new Ev("bi-2", "bi-b", T + 3_600_000L, "bi_event", "FR", "/", ""),
          new Ev("bi-3", "bi-a", T + 86_400_000L, "bi_event", "UK", "/", "")));
    }
  }

  /** An analyst's schema browser: every table (PII masked inside), with ClickHouse's types as JDBC types. */
  @Test
  void schemaBrowsersSeeTablesColumnsAndTypes() throws SQLException {
    try (Connection c = SqlClient.connect(Credentials.Role.ANALYST)) {
      DatabaseMetaData md = c.getMetaData();
      Set<String> schemas = new TreeSet<>();
      try (ResultSet rs = md.getSchemas()) {
        while (rs.next()) {
          schemas.add(rs.getString("TABLE_SCHEM"));
        }
      }
      assertTrue(schemas.contains("lode"), schemas.toString());
      Set<String> tables = new TreeSet<>();
      try (ResultSet rs = md.getTables(null, "lode", "%", null)) {
        while (rs.next()) {
          tables.add(rs.getString("TABLE_NAME"));
        }
      }
      assertTrue(tables.containsAll(List.of("events", "persons", "identities", "items", "orders", "tickets",
          "campaigns", "sessions")), tables.toString());
      Map<String, Integer> columns = new HashMap<>();
      try (ResultSet rs = md.getColumns(null, "lode", "events", "%")) {
        while (rs.next()) {
          columns.put(rs.getString("COLUMN_NAME"), rs.getInt("DATA_TYPE"));
        }
      }
      assertEquals(Types.TIMESTAMP, columns.get("event_time"));
      assertEquals(Types.VARCHAR, columns.get("event_name"));
      assertEquals(Types.DECIMAL, columns.get("price"));
      assertEquals(Types.INTEGER, columns.get("quantity"));
    }
  }

  /** A viewer's schema browser lists the reports and aggregate views, and none of the raw tables. */
  @Test
  void viewersBrowseReportsAndAggregatesOnly() throws SQLException {
    try (Connection c = SqlClient.connect(Credentials.Role.VIEWER)) {
      Set<String> tables = new TreeSet<>();
      try (ResultSet rs = c.getMetaData().getTables(null, "lode", "%", null)) {
        while (rs.next()) {
          tables.add(rs.getString("TABLE_NAME"));
        }
      }
      // the report views are created by the reports service after the SQL endpoint is built
      assertTrue(tables.containsAll(List.of("report_daily_kpi", "report_weekly_funnel", "data_quality", "tag_quality")),
          tables.toString());
      for (String raw : List.of("events", "persons", "identities", "orders", "order_lines", "tickets", "sessions")) {
        assertTrue(!tables.contains(raw), raw + " listed for a viewer: " + tables);
      }
      try (Statement st = c.createStatement()) {
        assertEquals(1, SqlClient.rows(st, "SELECT COUNT(*) FROM report_daily_kpi").size());
      }
    }
  }

  private static List<List<Object>> rows(String serialization, String path, String sql) throws SQLException {
    try (Connection c = SqlClient.connect(Credentials.Role.ANALYST, path, serialization, Map.of());
         Statement st = c.createStatement()) {
      return SqlClient.rows(st, sql);
    }
  }

  @Test
  void timeGrainSqlOfBiTools() throws SQLException {
    String where = " FROM events WHERE event_name = 'bi_event'";
    // Superset / Metabase: DATE_TRUNC; Tableau and the standard: FLOOR, EXTRACT, CAST (TIMESTAMPADD,
    // TIMESTAMPDIFF and interval arithmetic: TimeArithmeticTest)
    assertEquals(List.of(List.of("2032-02-03 00:00:00.0", "2"), List.of("2032-02-04 00:00:00.0", "1")),
        str(rows("protobuf", "/avatica", "SELECT DATE_TRUNC('day', event_time) AS d, COUNT(*)" + where
            + " GROUP BY DATE_TRUNC('day', event_time) ORDER BY d")));
    assertEquals(List.of(List.of("2032-02-01 00:00:00.0", "3")),
        str(rows("protobuf", "/avatica", "SELECT DATE_TRUNC('month', event_time) AS m, COUNT(*)" + where + " GROUP BY 1")));
    assertEquals(List.of(List.of("2032-02-03 04:00:00.0", "1"), List.of("2032-02-03 05:00:00.0", "1"),
            List.of("2032-02-04 04:00:00.0", "1")),
        str(rows("json", "/avatica", "SELECT FLOOR(event_time TO HOUR) AS h, COUNT(*)" + where + " GROUP BY FLOOR(event_time TO HOUR)"
            + " ORDER BY h")));
    assertEquals(List.of(List.of("2032", "2", "3")), str(rows("protobuf", "/avatica",
        "SELECT EXTRACT(YEAR FROM event_time), EXTRACT(MONTH FROM event_time), EXTRACT(DAY FROM event_time)" + where
            + " AND event_id = 'bi-1'")));
    assertEquals(List.of(List.of("2032-02-03", "2032-02-03 04:05:06.0")), str(rows("protobuf", "/avatica",
        "SELECT CAST(event_time AS DATE), CAST(event_time AS TIMESTAMP)" + where + " AND event_id = 'bi-1'")));
    assertEquals(List.of(List.of(2L)), rows("json", "/druid/v2/sql/avatica/",
        "SELECT COUNT(*)" + where + " AND event_time >= TIMESTAMP '2032-02-03 00:00:00'"
            + " AND event_time < TIMESTAMP '2032-02-04 00:00:00'"));
  }

  @Test
  void preparedStatementsWithParameters() throws SQLException {
    try (Connection c = SqlClient.connect(Credentials.Role.ANALYST);
         var ps = c.prepareStatement("SELECT COUNT(*) FROM events WHERE event_name = ? AND country = ?")) {
      ps.setString(1, "bi_event");
      ps.setString(2, "UK");
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        assertEquals(2L, rs.getLong(1));
      }
      ps.setString(2, "FR");
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        assertEquals(1L, rs.getLong(1));
      }
    }
  }

  /** Rows as text, so timestamps, dates and numbers compare as a reader sees them. */
  private static List<List<String>> str(List<List<Object>> rows) {
    return rows.stream().map(r -> r.stream().map(String::valueOf).toList()).toList();
  }
}
