package dev.lode.sql;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lode.config.Credentials;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import org.apache.calcite.runtime.Hook;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * SQL keywords BI tools use as labels and identifiers — Superset's {@code AS count}, {@code value},
 * {@code day}, {@code rows}, … — parse (Calcite's Babel parser) and answer what ClickHouse
 * answers for the same question.
 */
class LenientSyntaxTest {
  private static Hook.Closeable hook;
  private static final String WHERE = " FROM events WHERE event_name = 'ls_ev'";

  @BeforeAll
  static void data() throws SQLException {
    hook = Native.capture();
    try (Connection w = SqlClient.warehouse(); Statement st = w.createStatement()) {
      st.execute("INSERT INTO events (event_id, event_time, received_time, distinct_id, event_name, quantity, source)"
          + " VALUES ('ls-1', '2011-06-01 10:00:00', now64(3), 'ls', 'ls_ev', 1, 'test'),"
          + " ('ls-2', '2011-06-01 12:00:00', now64(3), 'ls', 'ls_ev', 2, 'test'),"
          + " ('ls-3', '2011-07-02 13:30:00', now64(3), 'ls', 'ls_ev', 3, 'test')");
    }
  }

  @AfterAll
  static void unhook() {
    hook.close();
  }

  @Test
  void keywordsAsLabels() throws SQLException {
    // rows, stream, variant, date and time stay reserved in the Babel parser: they need double quotes
    List<String> labels = List.of("count", "value", "day", "sql", "trigger", "position", "match", "member", "sum",
        "avg", "year");
    StringBuilder select = new StringBuilder("SELECT ");
    StringBuilder expected = new StringBuilder("SELECT ");
    for (int i = 0; i < labels.size(); i++) {
      select.append(i == 0 ? "" : ", ").append("COUNT(*) + ").append(i).append(" AS ").append(labels.get(i));
      expected.append(i == 0 ? "" : ", ").append("count() + ").append(i);
    }
    List<List<String>> lode;
    try (Connection c = SqlClient.connect(Credentials.Role.ANALYST);
         PreparedStatement ps = c.prepareStatement(select + WHERE)) {
      lode = Native.rows(ps);
      for (int i = 0; i < labels.size(); i++) {
        assertEquals(labels.get(i), ps.getMetaData().getColumnLabel(i + 1).toLowerCase(java.util.Locale.ROOT));
      }
    }
    assertEquals(Native.clickhouse(expected + WHERE), lode);
    // a keyword-named alias in a sub-query, read by the outer query
    try (Connection c = SqlClient.connect(Credentials.Role.ANALYST);
         PreparedStatement ps = c.prepareStatement("SELECT value, sum FROM (SELECT event_id AS value, quantity AS sum"
             + WHERE + ") AS t ORDER BY value")) {
      assertEquals(Native.clickhouse("SELECT event_id, quantity" + WHERE + " ORDER BY event_id"), Native.rows(ps));
    }
  }
}
