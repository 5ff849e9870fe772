package dev.lode.recommend;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Who bought what before a cutoff, as the binary customer × item matrix a trained model learns
 * from: one row per (person, item) pair aggregated inside ClickHouse (completed order lines and
 * purchase events as identity resolution attributes them), never the raw lines. Only items bought
 * by at least two persons take part (a model learns nothing about an item from one buyer), at most
 * {@code maxItems} of them, the most-bought first.
 */
public record PurchaseMatrix(List<String> persons, List<String> items, int[] person, int[] item) {

  /** Reads the matrix of the purchases before {@code cutoff} over {@code st}. */
  public static PurchaseMatrix read(Statement st, Instant cutoff, int maxItems) throws SQLException {
    return read(st, "order_lines", cutoff, maxItems);
  }

  /** The same from another table shaped like order_lines (an evaluation's training lines); no events then. */
  static PurchaseMatrix read(Statement st, String lines, Instant cutoff, int maxItems) throws SQLException {
    String c = SqlBinder.literals().time(cutoff);
    String events = lines.equals("order_lines")
        ? " UNION ALL SELECT person_id, item_id FROM profile_events_all WHERE person_id != '' AND item_id != ''"
          + " AND event_name = 'purchase' AND event_time < " + c
        : "";
    String sql = "WITH bought AS (SELECT DISTINCT person_id, item_id FROM ("
        + "SELECT person_id, item_id FROM " + lines + " WHERE person_id != '' AND item_id != '' AND status = 'completed'"
        + " AND quantity > 0 AND order_time < " + c + events + ")),\n"
        + "kept AS (SELECT item_id FROM bought GROUP BY item_id HAVING count() >= 2 ORDER BY count() DESC, item_id LIMIT "
        + maxItems + ")\n"
        + "SELECT person_id, item_id FROM bought WHERE item_id IN (SELECT item_id FROM kept) ORDER BY person_id, item_id";
    Map<String, Integer> personIndex = new HashMap<>();
    Map<String, Integer> itemIndex = new HashMap<>();
    List<String> persons = new ArrayList<>();
    List<String> items = new ArrayList<>();
    int[] p = new int[1024];
    int[] i = new int[1024];
    int n = 0;
    try (ResultSet rs = st.executeQuery(sql)) {
      while (rs.next()) {
        String who = rs.getString(1);
        String what = rs.getString(2);
        if (n == p.length) {
          p = java.util.Arrays.copyOf(p, n * 2);
          i = java.util.Arrays.copyOf(i, n * 2);
        }
        p[n] = personIndex.computeIfAbsent(who, k -> {
          persons.add(k);
          return persons.size() - 1;
        });
        i[n] = itemIndex.computeIfAbsent(what, k -> {
          items.add(k);
          return items.size() - 1;
        });
        n++;
      }
    }
    return new PurchaseMatrix(List.copyOf(persons), List.copyOf(items), java.util.Arrays.copyOf(p, n),
        java.util.Arrays.copyOf(i, n));
  }

  /** Number of (person, item) pairs. */
  public int pairs() {
    return person.length;
  }

  /** Fits implicit ALS on this matrix. */
  public IalsModel fitIals(IalsModel.Params p) {
    return IalsModel.fit(persons.size(), items.size(), person, item, p);
  }

  /** Fits EASE on this matrix. */
  public EaseModel fitEase(double lambda) {
    return EaseModel.fit(persons.size(), items.size(), person, item, lambda);
  }
}
