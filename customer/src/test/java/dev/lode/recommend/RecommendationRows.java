package dev.lode.recommend;

import dev.lode.warehouse.Warehouse;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/** Recommendations as comparable text, from Lode's answer or from the live query asked of ClickHouse directly. */
final class RecommendationRows {
  private RecommendationRows() {
  }

  /** The rows of a recommendation query asked of ClickHouse directly: item, score, rank, source, reason. */
  static List<String> nativeRows(Warehouse warehouse, String sql) throws SQLException {
    List<String> out = new ArrayList<>();
    try (Connection c = warehouse.connect(); Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
      while (rs.next()) {
        out.add(line(rs.getString("item_id"), rs.getDouble("score"), rs.getInt("item_rank"), rs.getString("source"),
            rs.getString("reason")));
      }
    }
    return out;
  }

  /** Lode's recommendations in the same form. */
  static List<String> text(List<Recommendation> recs) {
    return recs.stream().map(r -> line(r.itemId(), r.score(), r.rank(), r.source(), r.reason())).toList();
  }

  private static String line(String item, double score, int rank, String source, String reason) {
    return item + " " + String.format("%.6f", score) + " " + rank + " " + source + " " + reason;
  }
}
