package dev.lode.sql;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lode.config.Credentials.Role;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Every statement sent over JDBC — by any role, succeeding, failing, refused, prepared or
 * not — appears in {@code audit.queries} with the user and role who sent it, once when it
 * starts and once with its row count and outcome (a result the client closed before its last
 * row says so); only admins can read that log.
 */
class QueryAuditTest {

  @Test
  void everyStatementIsAuditedWithItsUser() throws SQLException {
    String tag = "audit_" + UUID.randomUUID().toString().replace("-", "");
    List<String[]> expected = new ArrayList<>(); // statement, user, role, status, rows
    try (Connection c = SqlClient.connect(Role.ANALYST); Statement st = c.createStatement()) {
      String ok = "SELECT event_name AS " + tag + " FROM events LIMIT 3";
      int n = SqlClient.rows(st, ok).size();
      expected.add(new String[] {ok, "analyst", "ok", Integer.toString(n)});
      String broken = "SELECT no_such_column AS " + tag + " FROM events";
      assertThrows(SQLException.class, () -> SqlClient.rows(st, broken));
      expected.add(new String[] {broken, "analyst", "failed", "-1"});
      String dml = "DELETE FROM events WHERE event_name = '" + tag + "'";
      assertThrows(SQLException.class, () -> st.executeUpdate(dml));
      expected.add(new String[] {dml, "analyst", "denied", "-1"});
      String prepared = "SELECT COUNT(*) AS " + tag + " FROM events WHERE event_name = ?";
      try (PreparedStatement ps = c.prepareStatement(prepared)) {
        ps.setString(1, "page_view");
        try (ResultSet rs = ps.executeQuery()) {
          assertTrue(rs.next());
        }
      }
      expected.add(new String[] {prepared, "analyst", "ok", "1"});
      // a batch of parameter sets is one entry (queries in a batch return no update counts)
      String batch = "SELECT COUNT(*) AS " + tag + "_batch FROM events WHERE event_name = ?";
      try (PreparedStatement ps = c.prepareStatement(batch)) {
        for (String name : List.of("page_view", "purchase")) {
          ps.setString(1, name);
          ps.addBatch();
        }
        assertEquals(2, ps.executeBatch().length);
      }
      expected.add(new String[] {batch, "analyst", "ok", "0"});
      // a client that reads one frame and closes the statement: on record as closed, with the rows it got
      StringBuilder values = new StringBuilder("(VALUES (0)");
      for (int i = 1; i < 1000; i++) {
        values.append(", (").append(i).append(')');
      }
      String partial = "SELECT x AS " + tag + "_partial FROM " + values + ") AS t(x)";
      try (Statement one = c.createStatement()) {
        one.setFetchSize(100);
        try (ResultSet rs = one.executeQuery(partial)) {
          assertTrue(rs.next());
        }
      }
      expected.add(new String[] {partial, "analyst", "closed", "1..999"});
    }
    try (Connection c = SqlClient.connect(Role.VIEWER); Statement st = c.createStatement()) {
      String viewer = "SELECT 42 AS " + tag;
      assertEquals(1, SqlClient.rows(st, viewer).size());
      expected.add(new String[] {viewer, "viewer", "ok", "1"});
      String denied = "SELECT * FROM persons WHERE '" + tag + "' = ''";
      assertThrows(SQLException.class, () -> SqlClient.rows(st, denied));
      expected.add(new String[] {denied, "viewer", "failed", "-1"});
    }
    try (Connection c = SqlClient.connect(Role.ADMIN); Statement st = c.createStatement()) {
      String admin = "SELECT COUNT(*) AS " + tag + " FROM persons";
      SqlClient.rows(st, admin);
      expected.add(new String[] {admin, "admin", "ok", "1"});
      // a later admin statement writes out everything before it
      List<List<Object>> all = SqlClient.rows(st, "SELECT statement, \"user\", role, status, \"rows\", duration_ms,"
          + " query_id FROM audit.queries WHERE statement LIKE '%" + tag + "%' AND statement NOT LIKE '%audit.queries%'"
          + " ORDER BY started_at, query_id");
      // each statement has a row written when it started and one with its outcome, under the same query id
      List<List<Object>> log = all.stream().filter(r -> !r.get(3).equals("started")).toList();
      List<List<Object>> started = all.stream().filter(r -> r.get(3).equals("started")).toList();
      assertEquals(expected.size(), log.size(), all.toString());
      assertEquals(log.stream().map(r -> r.get(6)).sorted().toList(),
          started.stream().map(r -> r.get(6)).sorted().toList(), all.toString());
      for (String[] e : expected) {
        List<Object> row = log.stream().filter(r -> r.get(0).equals(e[0])).findFirst()
            .orElseThrow(() -> new AssertionError("not audited: " + e[0] + " in " + log));
        String user = SqlClient.user(Role.valueOf(e[1].toUpperCase(java.util.Locale.ROOT))).name();
        String rows = String.valueOf(row.get(4));
        if (e[3].equals("1..999")) {
          long n = Long.parseLong(rows);
          assertTrue(n >= 1 && n <= 999, "rows sent before the close: " + n);
          rows = e[3];
        }
        assertEquals(List.of(user, e[1], e[2], e[3]), List.of(row.get(1), row.get(2), row.get(3), rows), e[0]);
        assertTrue(((Number) row.get(5)).longValue() >= 0);
      }
    }
  }
}
