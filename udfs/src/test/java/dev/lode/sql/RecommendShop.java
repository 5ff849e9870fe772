package dev.lode.sql;

import dev.lode.config.LodeConfig;
import dev.lode.recommend.ModelBuilder;
import dev.lode.recommend.RecommendSettings;
import dev.lode.recommend.Recommender;
import dev.lode.warehouse.Warehouse;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;

/**
 * A three-item kitchen shop for the recommendation tests: kettle (sq-a) and mug (sq-b) bought
 * together in eight orders, trays (sq-c) alone, and person sq-p, who consented to
 * personalization and bought a kettle; its live model is built with Lode's {@link ModelBuilder}.
 */
final class RecommendShop {
  private RecommendShop() {
  }

  static void write(Warehouse w, LodeConfig config) throws SQLException {
    try (Connection c = w.connect(); Statement st = c.createStatement()) {
      st.execute("INSERT INTO items (item_id, title, category, price, stock, consumable, seasons, source, loaded_at) VALUES"
          + " ('sq-a', 'kettle', 'kitchen', 30, 9, 0, [], 't', now64(3)), ('sq-b', 'mug', 'kitchen', 6, 9, 0, [], 't', now64(3)),"
          + " ('sq-c', 'tray', 'kitchen', 12, 9, 0, [], 't', now64(3))");
      StringBuilder v = new StringBuilder();
      for (int i = 1; i <= 8; i++) {
        line(v, "sq-o" + i, "sq-c" + i, "2026-03-0" + i, "sq-a", 1);
        line(v, "sq-o" + i, "sq-c" + i, "2026-03-0" + i, "sq-b", 2);
        line(v, "sq-t" + i, "sq-c" + i, "2026-08-0" + i, "sq-c", 1);
      }
      line(v, "sq-o9", "sq-c9", "2026-03-09", "sq-a", 1);
      line(v, "sq-t9", "sq-c9", "2026-08-09", "sq-b", 1);
      line(v, "sq-op", "sq-p", "2026-10-01", "sq-a", 1);
      st.execute("INSERT INTO order_lines (order_id, line_no, customer_key, person_id, order_time, item_id, quantity,"
          + " unit_price, status, source, loaded_at) VALUES " + v.substring(1));
      st.execute("INSERT INTO consents (id_type, id_value, person_id, purpose, granted, recorded_at, source) VALUES"
          + " ('user_id', 'sq-p', 'sq-p', 'personalization', 1, now64(3), 't')");
    }
    new ModelBuilder(w, RecommendSettings.from(config)).build(Recommender.LIVE, Instant.now(), true);
  }

  private static void line(StringBuilder v, String order, String person, String day, String item, int no) {
    v.append(",('").append(order).append("', ").append(no).append(", '").append(person).append("', '").append(person)
        .append("', toDateTime64('").append(day).append(" 10:00:00', 3, 'UTC'), '").append(item)
        .append("', 1, 1, 'completed', 't', now64(3))");
  }
}
