package dev.lode.sql;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lode.config.LodeConfig;
import dev.lode.sql.schema.CalciteHarness;
import dev.lode.sql.schema.LodeSchemaFactory;
import dev.lode.testing.TestWarehouse;
import dev.lode.udf.LodeOperatorTable;
import dev.lode.warehouse.Warehouse;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * recommend, similar_items and rec_eval as table functions of a Calcite connection over
 * {@link LodeOperatorTable} (as the server opens one), on {@link RecommendShop} in a database of
 * this suite's own: the reasons they give and the arguments they refuse. Prepared calls, SQLSTATEs
 * and the served lists an analyst reads through Avatica are app's {@code RecommendSqlTest}.
 */
class RecommendFunctionsTest {
  private static Connection calcite;

  @BeforeAll
  static void shop() throws Exception {
    Warehouse warehouse = TestWarehouse.isolated("recommend_functions");
    RecommendShop.write(warehouse, LodeConfig.load());
    calcite = CalciteHarness.connect(new LodeSchemaFactory(warehouse, new LodeOperatorTable(), 0, 1800));
  }

  @AfterAll
  static void close() throws SQLException {
    calcite.close();
  }

  private static List<List<Object>> rows(String sql) throws SQLException {
    List<List<Object>> out = new ArrayList<>();
    try (Statement st = calcite.createStatement(); ResultSet rs = st.executeQuery(sql)) {
      int n = rs.getMetaData().getColumnCount();
      while (rs.next()) {
        List<Object> row = new ArrayList<>();
        for (int i = 1; i <= n; i++) {
          row.add(rs.getObject(i));
        }
        out.add(row);
      }
    }
    return out;
  }

  @Test
  void recommendAndSimilarItems() throws SQLException {
    List<List<Object>> recs = rows("SELECT item_id, item_rank, source, reason FROM TABLE(recommend('sq-p', 5))"
        + " WHERE item_id LIKE 'sq-%' ORDER BY item_rank");
    assertEquals("sq-b", recs.get(0).get(0), recs.toString());
    // on this shop the trained ease source and basket both rank sq-b first from sq-a (the server's default
    // weights include ease); whichever contributes most names the reason
    assertEquals(recs.get(0).get(2).equals("ease") ? "learned from customers whose purchases are like yours (sq-a)"
        : "bought together with sq-a", recs.get(0).get(3), recs.toString());
    assertTrue(List.of("basket", "ease").contains(recs.get(0).get(2)), recs.toString());
    assertFalse(recs.stream().anyMatch(r -> r.get(0).equals("sq-a")), "already bought: " + recs);
    List<List<Object>> sim = rows("SELECT item_id, source FROM TABLE(similar_items('sq-a', 3)) ORDER BY item_rank");
    assertEquals(List.of("sq-b", "basket"), sim.get(0));
    SQLException e = assertThrows(SQLException.class, () -> rows("SELECT * FROM TABLE(recommend('sq-p', 0))"));
    assertTrue(e.getMessage().contains("recommend(k)"), e.getMessage());
    SQLException ctx = assertThrows(SQLException.class,
        () -> rows("SELECT * FROM TABLE(recommend('sq-p', 5, 'planet=mars'))"));
    assertTrue(ctx.getMessage().contains("recommend(context)"), ctx.getMessage());
  }

  @Test
  void recEvalChecksItsArgumentsBeforeRunning() {
    // RecEvaluatorTest scores a real evaluation; here only what rec_eval refuses before it runs
    SQLException e = assertThrows(SQLException.class,
        () -> rows("SELECT * FROM TABLE(rec_eval('2026-06-01', '2026-09-30', 5, 'blend,magic'))"));
    assertTrue(e.getMessage().contains("rec_eval(methods)") && e.getMessage().contains("magic"), e.getMessage());
    SQLException d = assertThrows(SQLException.class, () -> rows("SELECT * FROM TABLE(rec_eval('last tuesday'))"));
    assertTrue(d.getMessage().contains("rec_eval(cutoff)"), d.getMessage());
  }
}
