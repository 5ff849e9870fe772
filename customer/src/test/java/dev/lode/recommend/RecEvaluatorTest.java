package dev.lode.recommend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lode.testing.TestWarehouse;
import dev.lode.warehouse.Warehouse;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * rec_eval on a split small enough to score by hand: eight customers buy a kettle with a mug
 * before the cutoff and a tray after it; a ninth buys a kettle before and a mug after. Only
 * the ninth has a findable new item, so every method that finds it has recall 1/9.
 */
class RecEvaluatorTest {
  @Test
  void scoresEveryMethodOnTheSplitAndCleansUp() throws Exception {
    Warehouse w = TestWarehouse.isolated("recs");
    StringBuilder v = new StringBuilder();
    for (int i = 1; i <= 8; i++) {
      line(v, "ev-o" + i, "ev-c" + i, "2019-03-0" + i, "ev-a", 1);
      line(v, "ev-o" + i, "ev-c" + i, "2019-03-0" + i, "ev-b", 2);
      line(v, "ev-t" + i, "ev-c" + i, "2019-08-0" + i, "ev-c", 1);
    }
    line(v, "ev-o9", "ev-c9", "2019-03-09", "ev-a", 1);
    line(v, "ev-t9", "ev-c9", "2019-08-09", "ev-b", 1);
    try (Connection c = w.connect(); Statement st = c.createStatement()) {
      st.execute("INSERT INTO order_lines (order_id, line_no, customer_key, person_id, order_time, item_id, quantity,"
          + " unit_price, status, source, loaded_at) VALUES " + v.substring(1));
    }
    RecEvaluator eval = new RecEvaluator(w, RecommendSettings.from(TestWarehouse.config()));
    List<RecEvaluator.Result> results = eval.evaluate(Instant.parse("2019-06-01T00:00:00Z"),
        Instant.parse("2019-09-30T00:00:00Z"), 5, List.of("blend", "popularity", "item_knn", "basket", "trending"));
    Map<String, RecEvaluator.Result> by = results.stream()
        .collect(Collectors.toMap(RecEvaluator.Result::method, Function.identity()));
    for (String m : List.of("blend", "popularity", "item_knn", "basket")) {
      RecEvaluator.Result r = by.get(m);
      assertEquals(9, r.persons(), r.toString());
      assertEquals(1.0 / 9, r.recall(), 1e-9, r.toString());
      assertEquals(1.0 / 9, r.ndcg(), 1e-9, "the mug is ranked first for ev-c9: " + r);
      assertEquals(1.0 / 9 / 5, r.precision(), 1e-9, r.toString());
      assertTrue(r.coverage() > 0 && r.coverage() <= 1, r.toString());
    }
    assertEquals(9, by.get("trending").persons(), "a source alone that finds nothing still scores every person");
    assertEquals(0, by.get("trending").recall(), 1e-9, "nothing was bought in the 14 days before the cutoff");
    try (Connection c = w.connect(); Statement st = c.createStatement();
         ResultSet rs = st.executeQuery("SELECT (SELECT count() FROM rec_models WHERE model LIKE 'eval_2019%'),"
             + " (SELECT count() FROM system.tables WHERE database = currentDatabase() AND name LIKE 'eval_2019%')")) {
      rs.next();
      assertEquals(0, rs.getInt(1), "evaluation model left behind");
      assertEquals(0, rs.getInt(2), "evaluation tables left behind");
    }
    assertThrows(IllegalArgumentException.class, () -> eval.evaluate(Instant.parse("2019-06-01T00:00:00Z"),
        Instant.parse("2019-09-30T00:00:00Z"), 5, List.of("magic")));
    // a test period after the last purchase: nobody to score, said instead of NaN
    NoTestPersonsException none = assertThrows(NoTestPersonsException.class, () -> eval.evaluate(
        Instant.parse("2019-10-01T00:00:00Z"), Instant.parse("2019-12-31T00:00:00Z"), 5, List.of("blend")));
    assertTrue(none.getMessage().contains("no completed order line of a person lies in the test period"),
        none.getMessage());
  }

  private static void line(StringBuilder v, String order, String person, String day, String item, int no) {
    v.append(",('").append(order).append("', ").append(no).append(", '").append(person).append("', '").append(person)
        .append("', toDateTime64('").append(day).append(" 10:00:00', 3, 'UTC'), '").append(item)
        .append("', 1, 1, 'completed', 't', now64(3))");
  }
}
