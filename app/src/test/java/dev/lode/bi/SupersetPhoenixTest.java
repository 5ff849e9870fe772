package dev.lode.bi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Superset's "Apache Phoenix" database (phoenixdb and its SQLAlchemy {@code phoenix} dialect),
 * replayed with the Avatica Java driver: the same protobuf endpoint, Basic login, metadata calls
 * and SQL text; every number is compared with the same question asked of ClickHouse.
 */
class SupersetPhoenixTest {
  /** The chart's time range, as Superset's convert_dttm renders it. */
  private static final String RANGE = "event_time >= TO_TIMESTAMP('2034-01-01 00:00:00', 'yyyy-MM-dd HH:mm:ss')"
      + " AND event_time < TO_TIMESTAMP('2034-04-01 00:00:00', 'yyyy-MM-dd HH:mm:ss')";
  private static final String NATIVE_RANGE = "event_time >= '2034-01-01 00:00:00' AND event_time < '2034-04-01 00:00:00'";

  @BeforeAll
  static void data() throws SQLException {
    CompatEvents.load();
  }

  /**
   * A connection as phoenixdb makes one: protobuf, Basic auth from the URL query
   * ({@code ?authentication=BASIC&avatica_user=&avatica_password=}), at a path.
   */
  private static Connection connect(String path) throws SQLException {
    Properties p = new Properties();
    p.setProperty("authentication", "BASIC");
    p.setProperty("avatica_user", LodeEndpoint.analyst().name());
    p.setProperty("avatica_password", LodeEndpoint.analyst().password());
    return DriverManager.getConnection("jdbc:avatica:remote:url=" + LodeEndpoint.base() + path
        + ";serialization=protobuf", p);
  }

  /** The documented Superset setup: database extra {"engine_params": {"path": "/avatica"}}. */
  private static Connection connect() throws SQLException {
    return connect("/avatica");
  }

  private static Answer lode(String sql) throws SQLException {
    try (Connection c = connect(); Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
      return Answer.of(rs);
    }
  }

  /** phoenix://host:port/ with no engine_params posts to "/" (PhoenixDialect's default path). */
  @Test
  void connectsAtPhoenixdbsDefaultPath() throws SQLException {
    try (Connection c = connect("/"); Statement st = c.createStatement(); ResultSet rs = st.executeQuery(
        "SELECT COUNT(*) AS count FROM events WHERE " + CompatEvents.ONLY)) {
      assertEquals(CompatEvents.natively("SELECT count() FROM events WHERE " + CompatEvents.ONLY), Answer.of(rs));
    }
  }

  /**
   * Superset's time grains, both stored versions of superset/db_engine_specs/phoenix.py (TRUNC and
   * DATE_TRUNC), in the time-series chart shape: grain labelled with the column, COUNT(*) AS count
   * unquoted, the TO_TIMESTAMP half-open range, ORDER BY count DESC, row limit.
   */
  @Test
  void timeSeriesChartForEveryGrain() throws SQLException {
    // grain -> [TRUNC form, DATE_TRUNC form, native ClickHouse answer]
    Map<String, List<String>> grains = new java.util.LinkedHashMap<>();
    grains.put("SECOND", List.of("CAST(TRUNC(CAST(event_time AS TIMESTAMP), 'SECOND') AS TIMESTAMP)",
        "CAST(DATE_TRUNC('SECOND', CAST(event_time AS TIMESTAMP)) AS TIMESTAMP)", "toStartOfSecond(event_time)"));
    grains.put("MINUTE", List.of("CAST(TRUNC(CAST(event_time AS TIMESTAMP), 'MINUTE') AS TIMESTAMP)",
        "CAST(DATE_TRUNC('MINUTE', CAST(event_time AS TIMESTAMP)) AS TIMESTAMP)", "toStartOfMinute(event_time)"));
    grains.put("HOUR", List.of("CAST(TRUNC(CAST(event_time AS TIMESTAMP), 'HOUR') AS TIMESTAMP)",
        "CAST(DATE_TRUNC('HOUR', CAST(event_time AS TIMESTAMP)) AS TIMESTAMP)", "toStartOfHour(event_time)"));
    grains.put("DAY", List.of("CAST(TRUNC(CAST(event_time AS TIMESTAMP), 'DAY') AS DATE)",
        "CAST(DATE_TRUNC('DAY', CAST(event_time AS TIMESTAMP)) AS DATE)", "toDate(event_time)"));
    // Phoenix rounds weeks to the ISO week, which starts on Monday
    grains.put("WEEK", List.of("CAST(TRUNC(CAST(event_time AS TIMESTAMP), 'WEEK') AS DATE)",
        "CAST(DATE_TRUNC('WEEK', CAST(event_time AS TIMESTAMP)) AS DATE)", "toMonday(event_time)"));
    grains.put("MONTH", List.of("CAST(TRUNC(CAST(event_time AS TIMESTAMP), 'MONTH') AS DATE)",
        "CAST(DATE_TRUNC('MONTH', CAST(event_time AS TIMESTAMP)) AS DATE)", "toStartOfMonth(event_time)"));
    grains.put("QUARTER", List.of("CAST(TRUNC(CAST(event_time AS TIMESTAMP), 'QUARTER') AS DATE)",
        "CAST(DATE_TRUNC('QUARTER', CAST(event_time AS TIMESTAMP)) AS DATE)", "toStartOfQuarter(event_time)"));
    grains.put("YEAR", List.of("CAST(TRUNC(CAST(event_time AS TIMESTAMP), 'YEAR') AS DATE)",
        "CAST(DATE_TRUNC('YEAR', CAST(event_time AS TIMESTAMP)) AS DATE)", "toStartOfYear(event_time)"));
    StringBuilder failures = new StringBuilder();
    for (var g : grains.entrySet()) {
      Answer expected = CompatEvents.natively("SELECT " + g.getValue().get(2) + " AS t, count() FROM events WHERE "
          + NATIVE_RANGE + " AND " + CompatEvents.ONLY + " GROUP BY t").sorted();
      assertFalse(expected.rows().isEmpty(), g.getKey());
      for (String grain : g.getValue().subList(0, 2)) {
        String sql = "SELECT " + grain + " AS event_time, COUNT(*) AS count\nFROM events\nWHERE " + RANGE + " AND "
            + CompatEvents.ONLY + " GROUP BY " + grain + " ORDER BY count DESC\n LIMIT 10000";
        try {
          Answer got = lode(sql);
          if (!expected.equals(got.sorted())) {
            failures.append(grain).append(": ").append(got.rows().size()).append(" rows, first ")
                .append(got.rows().stream().limit(3).toList()).append(" but ClickHouse has ")
                .append(expected.rows().stream().limit(3).toList()).append('\n');
          } else {
            descending(got, 1);
          }
        } catch (SQLException e) {
          failures.append(grain).append(": ").append(e.getSQLState()).append(' ').append(ServerReason.of(e))
              .append('\n');
        }
      }
    }
    assertEquals("", failures.toString());
  }

  /** Big Number, a table grouped by a dimension, a TO_DATE filter and the filter box's values. */
  @Test
  void bigNumberTableAndFilterValues() throws SQLException {
    assertEquals(CompatEvents.natively("SELECT count() FROM events WHERE " + NATIVE_RANGE + " AND "
            + CompatEvents.ONLY),
        lode("SELECT COUNT(*) AS count\nFROM events\nWHERE " + RANGE + " AND " + CompatEvents.ONLY + "\n LIMIT 10000"));
    Answer table = lode("SELECT event_name, COUNT(*) AS count\nFROM events\nWHERE " + RANGE + " AND "
        + CompatEvents.ONLY + " GROUP BY event_name ORDER BY count DESC\n LIMIT 1000");
    assertEquals(CompatEvents.natively("SELECT event_name, count() FROM events WHERE " + NATIVE_RANGE + " AND "
        + CompatEvents.ONLY + " GROUP BY event_name").sorted(), table.sorted());
    descending(table, 1);
    assertEquals(CompatEvents.natively("SELECT count() FROM events WHERE event_time >= '2034-02-01' AND "
            + CompatEvents.ONLY),
        lode("SELECT COUNT(*) AS count\nFROM events\nWHERE event_time >= TO_DATE('2034-02-01', 'yyyy-MM-dd') AND "
            + CompatEvents.ONLY + "\n LIMIT 10000"));
    assertEquals(CompatEvents.natively("SELECT DISTINCT event_name FROM events").sorted(),
        lode("SELECT DISTINCT event_name AS column_values\nFROM events\n LIMIT 10000").sorted());
  }

  /**
   * Dataset creation: get_schema_names (GetSchemas), get_table_names(schema) (GetTables with types
   * TABLE and SYSTEM TABLE), get_view_names(schema) (GetTables with type VIEW) and get_columns (GetColumns, whose rows the dialect reads by name:
   * TYPE_ID must be a JDBC type code it knows).
   */
  @Test
  void tableListingAndColumnReflection() throws SQLException {
    // phoenixdb/sqlalchemy_phoenix.py COLUMN_DATA_TYPE keys
    Set<Integer> known = Set.of(-6, -5, -3, 1, 2, 3, 4, 5, 6, 8, 9, 10, 11, 12, 13, 14, 15, 16, 18, 19, 20, 91, 92, 93);
    try (Connection c = connect()) {
      DatabaseMetaData md = c.getMetaData();
      Set<String> schemas = new TreeSet<>();
      try (ResultSet rs = md.getSchemas()) {
        while (rs.next()) {
          schemas.add(rs.getString("TABLE_SCHEM"));
        }
      }
      assertTrue(schemas.contains("lode"), schemas.toString());
      Map<String, String> tables = new HashMap<>();
      try (ResultSet rs = md.getTables(null, "lode", null, new String[] {"TABLE", "SYSTEM TABLE"})) {
        while (rs.next()) {
          tables.put(rs.getString("TABLE_NAME"), rs.getString("TABLE_TYPE"));
        }
      }
      // Superset's dataset picker lists get_table_names and get_view_names (GetTables with VIEW) alike
      try (ResultSet rs = md.getTables(null, "lode", null, new String[] {"VIEW"})) {
        while (rs.next()) {
          tables.put(rs.getString("TABLE_NAME"), rs.getString("TABLE_TYPE"));
        }
      }
      assertTrue(Set.of("TABLE", "VIEW").contains(tables.get("events")), tables.toString());
      Map<String, Integer> typeIds = new HashMap<>();
      try (ResultSet rs = md.getColumns(null, "lode", "events", null)) {
        while (rs.next()) {
          String name = rs.getString("COLUMN_NAME");
          int typeId = rs.getInt("TYPE_ID");
          assertFalse(rs.wasNull(), name + " has no TYPE_ID");
          assertTrue(known.contains(typeId), name + ": TYPE_ID " + typeId + " is not one phoenixdb maps");
          assertEquals(rs.getInt("DATA_TYPE"), typeId, name);
          assertNotNull(rs.getString("IS_NULLABLE"), name);
          assertNotNull(rs.getString("IS_AUTOINCREMENT"), name);
          rs.getString("REMARKS");
          typeIds.put(name, typeId);
        }
      }
      try (Connection w = LodeEndpoint.clickhouse(); Statement st = w.createStatement();
           ResultSet rs = st.executeQuery("SELECT count() FROM system.columns WHERE database = currentDatabase()"
               + " AND table = 'events'")) {
        rs.next();
        assertEquals(rs.getInt(1), typeIds.size(), typeIds.keySet().toString());
      }
      assertEquals(java.sql.Types.TIMESTAMP, typeIds.get("event_time"));
    }
  }

  /** ORDER BY count DESC: the metric column never increases down the rows. */
  private static void descending(Answer a, int column) {
    for (int i = 1; i < a.rows().size(); i++) {
      assertTrue(Long.parseLong(a.rows().get(i - 1).get(column)) >= Long.parseLong(a.rows().get(i).get(column)),
          a.rows().toString());
    }
  }
}
