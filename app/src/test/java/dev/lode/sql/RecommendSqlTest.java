package dev.lode.sql;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lode.recommend.RecommendSettings;
import dev.lode.recommend.RecContext;
import dev.lode.recommend.Recommender;
import dev.lode.recommend.ServingRefresher;
import dev.lode.recommend.ServingStore;
import dev.lode.config.Credentials;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * recommend through the Avatica driver: prepared once and executed per person, error SQLSTATEs,
 * and the served lists an analyst reads. What the functions answer is udfs' {@code RecommendFunctionsTest}.
 */
class RecommendSqlTest {
  @BeforeAll
  static void shop() throws Exception {
    RecommendShop.write(SqlClient.server().context().warehouse(), SqlClient.server().context().config());
  }

  @Test
  void recommendIsPreparedOnceAndExecutedPerPerson() throws SQLException {
    List<String> literal = SqlClient.rows("SELECT item_id FROM TABLE(recommend('sq-p', 5)) ORDER BY item_rank").stream()
        .map(r -> (String) r.get(0)).toList();
    assertFalse(literal.isEmpty());
    try (Connection c = SqlClient.connect(Credentials.Role.ANALYST);
         java.sql.PreparedStatement ps = c.prepareStatement(
             "SELECT item_id, item_rank FROM TABLE(recommend(?, ?)) WHERE item_rank <= ? ORDER BY item_rank")) {
      ps.setString(1, "sq-p");
      ps.setInt(2, 5);
      ps.setInt(3, 5);
      assertEquals(literal, items(ps));
      // the same plan for another person: a cold-start one gets the context-only list, not sq-p's
      ps.setString(1, "sq-nobody-" + System.nanoTime());
      List<String> cold = items(ps);
      assertFalse(cold.isEmpty(), "a new person gets context-only items");
      assertTrue(cold.contains("sq-a"), "the context-only list does not leave out what sq-p bought: " + cold);
      ps.setString(1, "sq-p");
      ps.setInt(2, 0);
      SQLException e = assertThrows(SQLException.class, () -> items(ps));
      assertTrue(e.getMessage().contains("recommend(k)"), e.getMessage());
      assertEquals("22023", e.getSQLState());
      ps.setString(1, " ");
      ps.setInt(2, 5);
      SQLException blank = assertThrows(SQLException.class, () -> items(ps));
      assertTrue(blank.getMessage().contains("recommend(person) is required"), blank.getMessage());
    }
    // k and context may be left out (k = 20)
    assertEquals(literal, SqlClient.rows("SELECT item_id FROM TABLE(recommend('sq-p')) WHERE item_rank <= 5"
        + " ORDER BY item_rank").stream().map(r -> (String) r.get(0)).toList());
  }

  @Test
  void sqlRecommendRunsWithTheServersConfiguration() throws SQLException {
    // the server was started with lode.recommend.weight.basket set in code (SqlClient): recommend() over
    // SQL must score with it, not with the settings LodeConfig.load() would find in files and the environment
    var config = SqlClient.server().context().config();
    assertEquals(SqlClient.BASKET_WEIGHT, config.get(SqlClient.BASKET_WEIGHT_KEY, null));
    var w = SqlClient.server().context().warehouse();
    RecommendSettings server = RecommendSettings.from(config);
    RecommendSettings loaded = RecommendSettings.from(dev.lode.config.LodeConfig.load());
    assertEquals(1.75, server.weight(dev.lode.recommend.Source.BASKET), 1e-12);
    assertEquals(1.0, loaded.weight(dev.lode.recommend.Source.BASKET), 1e-12);
    List<List<Object>> sql = SqlClient.rows("SELECT item_id, score, source FROM TABLE(recommend('sq-p', 5))"
        + " ORDER BY item_rank");
    List<List<Object>> withServers = nativeRows(w, new Recommender(w, server).recommendSql("sq-p", 5, RecContext.NONE));
    List<List<Object>> withLoaded = nativeRows(w, new Recommender(w, loaded).recommendSql("sq-p", 5, RecContext.NONE));
    assertEquals(scores(withServers), scores(sql), "SQL recommend() does not score with the server's settings");
    assertFalse(scores(withLoaded).equals(scores(sql)), "the basket weight changes no score: the test proves nothing");
    assertEquals(List.of("sq-b", "basket"), List.of(sql.get(0).get(0), sql.get(0).get(2)));
  }

  private static List<List<Object>> nativeRows(dev.lode.warehouse.Warehouse w, String query) throws SQLException {
    List<List<Object>> out = new java.util.ArrayList<>();
    try (Connection c = w.connect(); Statement st = c.createStatement(); java.sql.ResultSet rs = st.executeQuery(query)) {
      while (rs.next()) {
        out.add(List.of(rs.getString("item_id"), rs.getDouble("score"), rs.getString("source")));
      }
    }
    return out;
  }

  private static List<String> scores(List<List<Object>> rows) {
    return rows.stream().map(r -> r.get(0) + " " + String.format("%.9f", ((Number) r.get(1)).doubleValue()) + " "
        + r.get(2)).toList();
  }

  @Test
  void recEvalWithoutTestPersonsIsAnErrorNamingWhy() {
    // nothing was bought in 1990: an evaluation there scores nobody, which must not come back as NaN
    SQLException e = assertThrows(SQLException.class,
        () -> SqlClient.rows("SELECT * FROM TABLE(rec_eval('1990-01-01', '1990-02-01', 5, 'blend'))"));
    assertEquals("22023", e.getSQLState(), e.getMessage());
    assertTrue(e.getMessage().contains("rec_eval has no test persons") && e.getMessage().contains("before the cutoff"),
        e.getMessage());
  }

  private static List<String> items(java.sql.PreparedStatement ps) throws SQLException {
    List<String> out = new java.util.ArrayList<>();
    try (java.sql.ResultSet rs = ps.executeQuery()) {
      while (rs.next()) {
        out.add(rs.getString(1));
      }
    }
    return out;
  }

  @Test
  void servedListsThroughAvaticaAreTheLiveRows() throws Exception {
    var w = SqlClient.server().context().warehouse();
    RecommendSettings settings = RecommendSettings.from(SqlClient.server().context().config());
    Recommender recommender = new Recommender(w, settings);
    String sql = "SELECT person_id, item_id, score, item_rank, source, reason FROM TABLE(recommend('sq-p', 5))";
    // the same call computed live by the native query
    List<List<Object>> before = new java.util.ArrayList<>();
    try (Connection c = w.connect(); Statement st = c.createStatement();
         java.sql.ResultSet rs = st.executeQuery(recommender.recommendSql("sq-p", 5, RecContext.NONE))) {
      while (rs.next()) {
        before.add(List.of(rs.getString("person_id"), rs.getString("item_id"), rs.getDouble("score"),
            rs.getInt("item_rank"), rs.getString("source"), rs.getString("reason")));
      }
    }
    assertFalse(before.isEmpty());
    try (ServingRefresher refresher = ServingRefresher.manual(new ServingStore(w, settings))) {
      // (a model rebuild by the server's refresher in between starts the pass over)
      boolean complete = false;
      for (int i = 0; i < 3 && !complete; i++) {
        refresher.cycle();
        refresher.drain();
        complete = refresher.cycle().complete();
      }
      assertTrue(complete);
      try (Connection c = w.connect()) {
        assertTrue(recommender.served(c, "sq-p", 5, RecContext.NONE).isPresent(), "the cycle did not serve sq-p");
      }
      // analysts get the same served rows (recommend() reads the lists in the warehouse itself)
      List<List<Object>> served;
      try (Connection c = SqlClient.connect(Credentials.Role.ANALYST); Statement st = c.createStatement()) {
        served = SqlClient.rows(st, sql);
        assertEquals(before.stream().map(r -> r.get(1)).toList(), served.stream().map(r -> r.get(1)).toList());
        assertEquals(rounded(before), rounded(served), "served rows differ from the live ones");
        // business filters still apply to served rows
        // (the top item's source: basket, or the trained ease source where the two tie on this shop)
        List<List<Object>> filtered = SqlClient.rows(st, "SELECT item_id FROM TABLE(recommend('sq-p', 5))"
            + " WHERE source = '" + before.get(0).get(4) + "' AND item_rank <= 1");
        assertEquals(List.of(List.of("sq-b")), filtered);
      }
    }
  }

  /** Rows with the score to 9 places: the list and the live query sum the same terms in another order. */
  private static List<String> rounded(List<List<Object>> rows) {
    return rows.stream().map(r -> r.get(0) + " " + r.get(1) + " " + String.format("%.9f", ((Number) r.get(2)).doubleValue())
        + " " + r.get(3) + " " + r.get(4) + " " + r.get(5)).toList();
  }
}
