package dev.lode.bi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * DBeaver and other generic JDBC tools on the Avatica driver's defaults (JSON): the metadata
 * crawl a navigator makes when a connection opens and a table is expanded, the identifier
 * flags it quotes names by, and the table preview (setMaxRows(200), SELECT * FROM the table).
 */
class DbeaverCrawlTest {

  @BeforeAll
  static void data() throws SQLException {
    CompatEvents.load();
  }

  /** DBeaver's "Avatica" driver template: jdbc:avatica:remote:url=http://{host}:{port}/avatica, JSON. */
  private static Connection connect() throws SQLException {
    Properties p = new Properties();
    p.setProperty("authentication", "BASIC");
    p.setProperty("avatica_user", LodeEndpoint.analyst().name());
    p.setProperty("avatica_password", LodeEndpoint.analyst().password());
    return DriverManager.getConnection("jdbc:avatica:remote:url=" + LodeEndpoint.base() + "/avatica", p);
  }

  /** Every call of the crawl answers with a readable result set, none throws; product name and version are set. */
  @Test
  void metadataCrawl() throws SQLException {
    try (Connection c = connect()) {
      DatabaseMetaData md = c.getMetaData();
      assertFalse(md.getDatabaseProductName().isBlank());
      assertFalse(md.getDatabaseProductVersion().isBlank());
      assertFalse(md.getDriverName().isBlank());
      drain(md.getCatalogs());
      List<String> schemas = column(md.getSchemas(), "TABLE_SCHEM");
      assertTrue(schemas.contains("lode"), schemas.toString());
      drain(md.getTableTypes());
      List<String> tables = column(md.getTables(null, "lode", "%", null), "TABLE_NAME");
      assertTrue(tables.contains("events"), tables.toString());
      List<String> columns = column(md.getColumns(null, "lode", "events", "%"), "COLUMN_NAME");
      assertTrue(columns.containsAll(List.of("event_id", "event_time", "event_name", "price")), columns.toString());
      drain(md.getPrimaryKeys(null, "lode", "events"));
      drain(md.getImportedKeys(null, "lode", "events"));
      drain(md.getExportedKeys(null, "lode", "events"));
      drain(md.getIndexInfo(null, "lode", "events", false, true));
      drain(md.getFunctions(null, null, "%"));
      drain(md.getProcedures(null, null, "%"));
      drain(md.getTypeInfo());
      // a quoted, schema-qualified name, as DBeaver writes it, reads the same table as the plain one
      try (Statement st = c.createStatement();
           ResultSet rs = st.executeQuery("SELECT COUNT(*) FROM \"lode\".\"events\" WHERE " + CompatEvents.ONLY)) {
        assertEquals(CompatEvents.natively("SELECT count() FROM events WHERE " + CompatEvents.ONLY), Answer.of(rs));
      }
    }
  }

  /**
   * The flags a tool quotes and cases names by. avatica-core answers the case flags from the
   * client's own connection properties (its default says names are stored upper case; the server
   * cannot change that answer), so what must hold is that a tool following them is right: a name
   * written in upper case, quoted or not, as such a tool writes it, reaches the same table and
   * columns as the lower-case name ClickHouse stores.
   */
  @Test
  void identifierFlags() throws SQLException {
    try (Connection c = connect()) {
      DatabaseMetaData md = c.getMetaData();
      assertEquals("\"", md.getIdentifierQuoteString());
      assertTrue(md.supportsMixedCaseQuotedIdentifiers(), "supportsMixedCaseQuotedIdentifiers");
      Answer expected = CompatEvents.natively("SELECT event_name, count() FROM events WHERE " + CompatEvents.ONLY
          + " GROUP BY event_name ORDER BY event_name");
      for (String sql : List.of(
          "SELECT EVENT_NAME, COUNT(*) FROM LODE.EVENTS WHERE EVENT_NAME IN ('compat_view', 'compat_cart', 'compat_buy')"
              + " GROUP BY EVENT_NAME ORDER BY EVENT_NAME",
          "SELECT \"EVENT_NAME\", COUNT(*) FROM \"LODE\".\"EVENTS\" WHERE " + CompatEvents.ONLY
              + " GROUP BY \"EVENT_NAME\" ORDER BY \"EVENT_NAME\"")) {
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
          assertEquals(expected, Answer.of(rs), sql);
        }
      }
    }
  }

  /** The data tab: 200 rows of the table, its columns as getColumns listed them. */
  @Test
  void tablePreview() throws SQLException {
    try (Connection c = connect(); Statement st = c.createStatement()) {
      List<String> listed = column(c.getMetaData().getColumns(null, "lode", "events", "%"), "COLUMN_NAME");
      st.setMaxRows(200);
      int rows = 0;
      List<String> shown = new ArrayList<>();
      try (ResultSet rs = st.executeQuery("SELECT * FROM events")) {
        for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
          shown.add(rs.getMetaData().getColumnName(i));
        }
        while (rs.next()) {
          rows++;
        }
      }
      long total = Long.parseLong(CompatEvents.natively("SELECT count() FROM events").rows().get(0).get(0));
      assertEquals(Math.min(200, total), rows);
      assertEquals(listed, shown);
    }
  }

  private static void drain(ResultSet rs) throws SQLException {
    try (rs) {
      int n = rs.getMetaData().getColumnCount();
      while (rs.next()) {
        for (int i = 1; i <= n; i++) {
          rs.getObject(i);
        }
      }
    }
  }

  private static List<String> column(ResultSet rs, String name) throws SQLException {
    List<String> out = new ArrayList<>();
    try (rs) {
      while (rs.next()) {
        out.add(rs.getString(name));
      }
    }
    return out;
  }

  /**
   * getFunctions and getProcedures are answered by the Avatica driver itself, empty (it never
   * asks the server), so Lode's functions are listed as rows of the {@code functions} table,
   * which a navigator shows beside the others; each table function with its parameters.
   */
  @Test
  void functionsAreATableANavigatorShows() throws SQLException {
    try (Connection c = connect()) {
      DatabaseMetaData md = c.getMetaData();
      assertFalse(md.getFunctions(null, null, "%").next(), "the Avatica driver now asks the server: list them there");
      List<String> tables = column(md.getTables(null, "lode", "%", null), "TABLE_NAME");
      assertTrue(tables.contains("functions"), tables.toString());
      java.util.Map<String, String> tableFunctions = new java.util.TreeMap<>();
      java.util.Map<String, String> kinds = new java.util.TreeMap<>();
      try (java.sql.Statement st = c.createStatement();
           ResultSet rs = st.executeQuery("SELECT function_name, function_kind, parameters, origin FROM functions")) {
        while (rs.next()) {
          kinds.put(rs.getString(1), rs.getString(2) + "/" + rs.getString(4));
          if (rs.getString(2).equals("table function")) {
            tableFunctions.put(rs.getString(1), rs.getString(3));
          }
        }
      }
      assertEquals("(steps VARCHAR, window_seconds BIGINT, mode VARCHAR (optional), from VARCHAR (optional),"
          + " to VARCHAR (optional), breakdown VARCHAR (optional))", tableFunctions.get("funnel"));
      assertTrue(tableFunctions.keySet().containsAll(List.of("funnel", "funnel_people", "retention", "paths",
          "sessions", "event_trends", "tag_explain", "recommend", "similar_items", "rec_eval")), tableFunctions.toString());
      assertEquals("aggregate/clickhouse", kinds.get("countIf"));
      assertEquals("scalar/clickhouse", kinds.get("toStartOfMonth"));
      assertEquals("scalar/druid/phoenix", kinds.get("TIME_FLOOR"));
      // a listed table function answers a call with its two required arguments: one row per step
      try (java.sql.Statement st = c.createStatement();
           ResultSet rs = st.executeQuery("SELECT COUNT(*) FROM TABLE(funnel('compat_view,compat_buy', 86400))")) {
        assertTrue(rs.next());
        assertEquals(2, rs.getLong(1));
      }
    }
  }
}
