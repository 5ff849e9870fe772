package dev.lode.sql;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lode.config.Credentials;
import dev.lode.identity.IdentityResolver;
import dev.lode.testing.TestWarehouse;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The behavior functions as analysts and viewers call them through the Avatica driver: they read
 * the role's masked database (pseudonymous ids, its own identities), so counts equal an admin's
 * while no raw id reaches them. What the functions compute is udfs' {@code BehaviorFunctionsTest}.
 */
class BehaviorMaskingTest {
  private static final DateTimeFormatter TS = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSS");
  private static final long EDGE = LocalDateTime.of(2030, 1, 1, 0, 0).toInstant(ZoneOffset.UTC).toEpochMilli();
  private static final String RANGE = "'" + ts(EDGE) + "', '" + ts(EDGE + 86_400_000L) + "'";

  @BeforeAll
  static void insert() throws SQLException {
    long s = 1000;
    try (Connection w = SqlClient.warehouse(); Statement st = w.createStatement()) {
      Ev.insert(w, List.of(Ev.of("bm-1", "bm-at-edge", EDGE, "MA"), Ev.of("bm-2", "bm-at-edge", EDGE + 60 * s, "MB"),
          Ev.of("bm-3", "bm-at-edge", EDGE + 60 * s, "MC"),
          Ev.of("bm-4", "bm-single", EDGE, "MA"), Ev.of("bm-5", "bm-single", EDGE + 2 * s, "MB"),
          // one person under two ids, stamped at ingest
          new Ev("bm-6", "bm-anon-7", EDGE + 10 * s, "MA", "UK", "/", "bm-person-7"),
          new Ev("bm-7", "bm-user-7", EDGE + 20 * s, "MB", "UK", "/", "bm-person-7"),
          new Ev("bm-8", "bm-user-7", EDGE + 30 * s, "MC", "UK", "/", "bm-person-7")));
      // one person merged mid-funnel by identity resolution (a login sent with both ids), as the collector stores it
      st.execute("INSERT INTO events (event_id, event_time, received_time, distinct_id, anonymous_id, user_id,"
          + " event_type, event_name, country, page, source) VALUES"
          + " ('bm-9', '" + ts(EDGE + 10 * s) + "', now64(3), 'bm-anon-9', 'bm-anon-9', '', 'track', 'MA', 'FR', '/', 'test'),"
          + " ('bm-10', '" + ts(EDGE + 20 * s) + "', now64(3), 'bm-user-9', 'bm-anon-9', 'bm-user-9', 'identify', 'MB', 'FR',"
          + " '/', 'test'), ('bm-11', '" + ts(EDGE + 30 * s) + "', now64(3), 'bm-user-9', '', 'bm-user-9', 'track', 'MC',"
          + " 'FR', '/', 'test')");
    }
    new IdentityResolver(TestWarehouse.get(), TestWarehouse.config()).resolve();
  }

  private static String ts(long millis) {
    return TS.format(LocalDateTime.ofEpochSecond(Math.floorDiv(millis, 1000), Math.floorMod(millis, 1000) * 1_000_000,
        ZoneOffset.UTC));
  }

  @Test
  void analystsCountTheSamePersonsThroughTheirMaskedDatabase() throws SQLException {
    String call = "SELECT step, persons FROM TABLE(funnel('MA,MB,MC', 60, 'ordered', " + RANGE + ")) ORDER BY step";
    // entering: at-edge, single, person-7, the merged person; reaching MB: all four; MC: at-edge, person-7, merged
    List<List<Object>> rows = SqlClient.rows(call);
    assertEquals(List.of(List.of(1, 4L), List.of(2, 4L), List.of(3, 3L)), rows);
    try (Connection c = SqlClient.connect(Credentials.Role.ANALYST); Statement st = c.createStatement()) {
      assertEquals(rows, SqlClient.rows(st, call));
    }
  }

  @Test
  void personalFieldsAreMaskedForAnalystsAndViewers() throws SQLException {
    String call = "SELECT breakdown, persons FROM TABLE(funnel('MA,MB,MC', 60, 'ordered', " + RANGE
        + ", 'distinct_id')) WHERE step = 1 ORDER BY breakdown";
    List<List<Object>> raw = SqlClient.rows(call);
    assertFalse(raw.isEmpty());
    Set<Object> rawIds = raw.stream().map(r -> r.get(0)).collect(Collectors.toSet());
    // a breakdown by an id reads the masked events for analysts: the same groups, none under its raw id
    try (Connection c = SqlClient.connect(Credentials.Role.ANALYST); Statement st = c.createStatement()) {
      List<List<Object>> masked = SqlClient.rows(st, call);
      assertEquals(raw.size(), masked.size(), "analyst: " + masked);
      assertTrue(masked.stream().noneMatch(r -> rawIds.contains(r.get(0))), "raw ids reached an analyst: " + masked);
    }
    // viewers see aggregates only: an id-valued breakdown is refused, naming the argument
    try (Connection c = SqlClient.connect(Credentials.Role.VIEWER); Statement st = c.createStatement()) {
      java.sql.SQLException e = org.junit.jupiter.api.Assertions.assertThrows(java.sql.SQLException.class,
          () -> SqlClient.rows(st, call));
      assertTrue(e.getMessage().contains("funnel(breakdown)") && e.getMessage().contains("distinct_id"), e.getMessage());
      assertEquals("22023", e.getSQLState());
    }
  }
}
