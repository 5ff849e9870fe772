package dev.lode.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lode.config.Credentials;
import dev.lode.config.LodeConfig;
import dev.lode.profiles.ProfileSettings;
import dev.lode.tags.TagCatalog;
import dev.lode.tags.TagService;
import dev.lode.testing.BehaviorFixture;
import dev.lode.warehouse.Warehouse;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Profiles and tags as a BI tool sees them: over Avatica JDBC, through the Calcite layer. */
class TagSqlSurfaceTest {
  @Test
  void tagsProfilesAndExplanationsAreQueryableOverJdbc() throws Exception {
    Warehouse w = TestServer.get().context().warehouse();
    Instant now = Instant.now();
    BehaviorFixture f = new BehaviorFixture(w, now);
    List<String> views = f.views("sql-a", "tents", 6, Duration.ofHours(3), 80_000);
    f.event("sql-a", "page_view", "", Duration.ofHours(1), 5_000, "sql-a-s0");
    f.flush();
    TagService service = new TagService(w, TagCatalog.load(LodeConfig.of(Map.of())), new ProfileSettings(7, 2000));
    TagService.Cycle cycle = service.refresh(now, List.of("price_sensitive_browser", "interest"), false, false);
    assertTrue(cycle.tags().stream().allMatch(TagService.TagOutcome::ok), cycle.toString());

    try (Connection c = TestServer.connect(Credentials.Role.ANALYST)) {
      try (ResultSet rs = query(c, "SELECT item, name, amount, event_found, event_name"
          + " FROM TABLE(tag_explain('sql-a', 'price_sensitive_browser'))")) {
        Set<String> cited = new HashSet<>();
        String value = null;
        while (rs.next()) {
          switch (rs.getString("item")) {
            case "value" -> value = rs.getString("name");
            case "example_event" -> {
              assertEquals(1, rs.getInt("event_found"));
              assertEquals("product_view", rs.getString("event_name"));
              cited.add(rs.getString("name"));
            }
            default -> { }
          }
        }
        assertEquals("tents", value);
        assertEquals(5, cited.size());
        assertTrue(views.containsAll(cited), cited.toString());
      }
      try (ResultSet rs = query(c, "SELECT p.person_id, p.top_category, p.page_views, t.tag_id, t.\"value\""
          + " FROM profiles p JOIN person_tags t ON t.person_id = p.person_id"
          + " WHERE p.person_id = 'sql-a' ORDER BY t.tag_id")) {
        assertTrue(rs.next());
        assertEquals("tents", rs.getString("top_category"));
        assertEquals(7, rs.getInt("page_views"));
        assertEquals("interest", rs.getString("tag_id"));
        assertTrue(rs.next());
        assertEquals("price_sensitive_browser", rs.getString("tag_id"));
        assertEquals("tents", rs.getString("value"));
      }
      try (ResultSet rs = query(c, "SELECT q.tag_id, q.tagged, q.coverage, c.kind FROM tag_quality q"
          + " JOIN tags c ON c.tag_id = q.tag_id WHERE q.tag_id = 'price_sensitive_browser'")) {
        assertTrue(rs.next());
        assertTrue(rs.getLong("tagged") >= 1);
        assertTrue(rs.getDouble("coverage") > 0 && rs.getDouble("coverage") <= 1);
        assertEquals("computed", rs.getString("kind"));
      }
      try (ResultSet rs = query(c, "SELECT count(*) FROM TABLE(tag_explain('nobody', 'interest'))")) {
        assertTrue(rs.next());
        assertEquals(0, rs.getLong(1));
      }
      try {
        query(c, "SELECT * FROM TABLE(tag_explain('', 'interest'))").close();
        throw new AssertionError("an empty person id must be refused");
      } catch (SQLException e) {
        assertTrue(e.getMessage().contains("tag_explain"), e.getMessage());
      }
    }
  }

  // The first Calcite statements of a JVM (and of each new plan shape) load the schema and
  // compile code, which can exceed the test server's 3 s timeout on a busy machine; a
  // cancelled statement stays cancelled, so each attempt gets its own.
  private static ResultSet query(Connection c, String sql) throws SQLException {
    SQLException last = null;
    for (int i = 0; i < 5; i++) {
      Statement st = c.createStatement();
      st.closeOnCompletion();
      try {
        return st.executeQuery(sql);
      } catch (SQLException e) {
        st.close();
        if (!String.valueOf(e.getMessage()).contains("canceled")) {
          throw e;
        }
        last = e;
      }
    }
    throw last;
  }
}
