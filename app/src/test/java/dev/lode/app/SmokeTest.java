package dev.lode.app;

import dev.lode.config.Credentials;
import java.sql.*;
import org.junit.jupiter.api.Test;

class SmokeTest {
  @Test
  void smoke() throws Exception {
    try (Connection w = TestServer.warehouse(); Statement st = w.createStatement()) {
      st.execute("INSERT INTO events (event_id, event_time, received_time, distinct_id, event_name, country) VALUES "
          + "('e1', '2026-01-01 00:00:00', now(), 'u1', 'page_view', 'UK'), ('e2', '2026-01-01 00:00:05', now(), 'u1', 'add_to_cart', 'UK'),"
          + "('e3', '2026-01-01 00:01:00', now(), 'u2', 'page_view', 'FR')");
    }
    try (Connection c = TestServer.connect(Credentials.Role.ANALYST); Statement st = c.createStatement()) {
      for (String q : new String[] {"SELECT count(*) FROM events", "SELECT count(*) FROM events", "SELECT event_name, COUNT(DISTINCT distinct_id) FROM events WHERE country = 'UK' GROUP BY event_name",
          "SELECT * FROM TABLE(funnel('page_view,add_to_cart', 3600))",
          "SELECT * FROM TABLE(funnel('page_view,add_to_cart', 3600, 'ordered', NULL, NULL, 'country')) WHERE step = 2",
          "SELECT f.person_id, f.reached_step, f.entered_at FROM TABLE(funnel_people('page_view,add_to_cart', 3600, 2, 'dropped')) f",
          "SELECT * FROM TABLE(retention('page_view', 'add_to_cart', 'day', 3))",
          "SELECT * FROM TABLE(paths('page_view', 'after', 3))",
          "SELECT * FROM sessions",
          "SELECT * FROM TABLE(event_trends('page_view', 'day', '2026-01-01', '2026-01-04'))",
          "EXPLAIN PLAN FOR SELECT event_name, COUNT(DISTINCT distinct_id) FROM events GROUP BY event_name"}) {
        System.out.println("== " + q);
        try (ResultSet rs = st.executeQuery(q)) {
          int n = rs.getMetaData().getColumnCount();
          while (rs.next()) {
            StringBuilder b = new StringBuilder();
            for (int i = 1; i <= n; i++) b.append(rs.getMetaData().getColumnLabel(i)).append('=').append(rs.getObject(i)).append(' ');
            System.out.println(b);
          }
        } catch (SQLException e) {
          System.out.println("ERROR " + e.getMessage());
        }
      }
    }
  }
}
