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
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Profiles and tags as a BI tool sees them: over Avatica JDBC, through the Calcite layer. */
class TagSqlSurfaceTest {
  /** Tags the count test registers (copies of a built-in rule under new ids), removed again after it. */
  private static final String PROBE = "count_probe_";
  private static final int PROBES = 4;
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
    assertTrue(cycle.tags().stream().allMatch(TagService.TagOutcome::refreshed), cycle.toString());

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
      // profiles join behavior table functions on person_id
      try (ResultSet rs = query(c, "SELECT f.person_id, f.reached_step, p.top_category, p.abandoned_carts"
          + " FROM TABLE(funnel_people('product_view,page_view', 604800, 2)) f"
          + " JOIN profiles p ON p.person_id = f.person_id WHERE f.person_id = 'sql-a'")) {
        assertTrue(rs.next(), "sql-a viewed products, then a page");
        assertEquals("tents", rs.getString("top_category"));
        assertEquals(2, rs.getInt("reached_step"));
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

  /**
   * A viewer's {@code count(*)} of the tag catalog while a tags refresh registers new definitions
   * and writes their runs: each answer lies between ClickHouse's own counts of {@code tags} just
   * before and just after it (the catalog only grows while definitions are registered, so an answer
   * outside that range is a wrong number, not a race), and once the refresh is done the viewer's
   * count and tag ids equal ClickHouse's and a separate reading of the definitions table's distinct
   * ids. A merge of the definitions table is forced meanwhile, so the count cannot lean on FINAL.
   */
  @Test
  void viewersCountOfTheCatalogIsClickHousesDuringAndAfterARefresh(@TempDir Path dir) throws Exception {
    Warehouse w = TestServer.get().context().warehouse();
    String rule;
    try (var in = TagSqlSurfaceTest.class.getClassLoader().getResourceAsStream("lode/sql/tags/cart_abandoner.sql")) {
      rule = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    List<String> probes = new ArrayList<>();
    for (int i = 0; i < PROBES; i++) {
      probes.add(PROBE + i);
      Files.writeString(dir.resolve(PROBE + i + ".sql"), rule.replace("-- tag: cart_abandoner", "-- tag: " + PROBE + i));
    }
    // the built-in catalog plus the probes, so the sync retires none of the built-in tags
    TagCatalog catalog = TagCatalog.load(LodeConfig.of(Map.of("lode.tags.dir", dir.toString())));
    assertTrue(catalog.refused().isEmpty(), catalog.refused().toString());
    TagService service = new TagService(w, catalog, new ProfileSettings(7, 2000));
    try (Connection viewer = TestServer.connect(Credentials.Role.VIEWER); Connection ch = w.connect();
         Statement nat = ch.createStatement()) {
      long start = nativeCount(nat, "SELECT count() FROM tags");
      // the refresh registers the probes one by one (as the server's scheduler does on its first cycle), then computes them
      CompletableFuture<TagService.Cycle> refresh = CompletableFuture.supplyAsync(() -> {
        try {
          return service.refresh(Instant.now(), probes, true, false);
        } catch (SQLException e) {
          throw new IllegalStateException(e);
        }
      });
      int samples = 0;
      int moving = 0;
      while (!refresh.isDone() || samples < 5) {
        long before = nativeCount(nat, "SELECT count() FROM tags");
        long got = viewerCount(viewer);
        long after = nativeCount(nat, "SELECT count() FROM tags");
        assertTrue(before <= got && got <= after, "the viewer counted " + got + " tags while ClickHouse counted "
            + before + " just before and " + after + " just after");
        moving += before == after ? 0 : 1;
        if (samples++ == 2) {
          nat.execute("OPTIMIZE TABLE tag_definitions FINAL");
        }
      }
      TagService.Cycle cycle = refresh.join();
      assertTrue(cycle.tags().stream().allMatch(TagService.TagOutcome::refreshed), cycle.toString());
      long total = nativeCount(nat, "SELECT count() FROM tags");
      assertEquals(total, nativeCount(nat, "SELECT uniqExact(tag_id) FROM tag_definitions"),
          "the catalog view has one row per registered tag id");
      assertEquals(total, viewerCount(viewer));
      Set<String> nativeIds = new TreeSet<>();
      try (ResultSet rs = nat.executeQuery("SELECT DISTINCT tag_id FROM tag_definitions")) {
        while (rs.next()) {
          nativeIds.add(rs.getString(1));
        }
      }
      Set<String> viewerIds = new TreeSet<>();
      try (ResultSet rs = query(viewer, "SELECT tag_id FROM tags")) {
        while (rs.next()) {
          viewerIds.add(rs.getString(1));
        }
      }
      assertEquals(nativeIds, viewerIds);
      Set<String> registered = new TreeSet<>(probes);
      catalog.definitions().forEach(d -> registered.add(d.id()));
      assertTrue(nativeIds.containsAll(registered), "registered: " + nativeIds);
      System.out.printf("viewer's count of tags: %d samples during the refresh, %d while ClickHouse's count moved;"
          + " %d → %d tags%n", samples, moving, start, total);
    } finally {
      try (Connection c = w.connect(); Statement st = c.createStatement()) {
        for (String table : List.of("tag_definitions", "tag_values", "tag_membership_daily")) {
          st.execute("ALTER TABLE " + table + " DELETE WHERE startsWith(tag_id, '" + PROBE + "')"
              + " SETTINGS mutations_sync = 1");
        }
        st.execute("ALTER TABLE refresh_runs DELETE WHERE startsWith(target, 'tag:" + PROBE + "')"
            + " SETTINGS mutations_sync = 1");
      }
    }
  }

  private static long nativeCount(Statement st, String sql) throws SQLException {
    try (ResultSet rs = st.executeQuery(sql)) {
      assertTrue(rs.next());
      return rs.getLong(1);
    }
  }

  private static long viewerCount(Connection viewer) throws SQLException {
    try (ResultSet rs = query(viewer, "SELECT count(*) FROM tags")) {
      assertTrue(rs.next());
      return rs.getLong(1);
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
