package dev.lode.tags;

import dev.lode.warehouse.SqlLiteral;
import dev.lode.warehouse.Warehouse;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;

/**
 * Where a model tag's training window lies: features as of {@code end - horizon} against purchases
 * in the horizon up to {@code end}, where {@code end} is the refresh's as-of instant, unless no
 * purchase record (a purchase event, an order that was not cancelled) lies in that horizon at all:
 * then {@code end} is just after the newest purchase record. A history whose sales stop before its
 * behaviour does (the demo: orders to 2011-12-09, browsing to 2011-12-26) so trains on the last
 * horizon that has any label, instead of a window where nobody can have bought anything; a shop with
 * any sale in the horizon keeps its window (days without sales there are negatives, not missing data).
 */
final class LabelWindow {
  private LabelWindow() {
  }

  /** The instant the training features are taken as of, for a refresh as of {@code asOf}. */
  static Instant trainAsOf(Warehouse warehouse, Instant asOf, int horizonDays) throws SQLException {
    Duration horizon = Duration.ofDays(horizonDays);
    String at = SqlLiteral.timestamp(asOf);
    try (Connection c = warehouse.connect(); Statement st = c.createStatement();
         ResultSet rs = st.executeQuery("SELECT count(t), toUnixTimestamp64Milli(max(t)) FROM ("
             + " SELECT maxOrNull(event_time) AS t FROM events WHERE event_name = 'purchase' AND event_time <= " + at
             + " UNION ALL SELECT maxOrNull(order_time) FROM orders WHERE status != 'cancelled' AND order_time <= " + at
             + ")")) {
      rs.next();
      Instant cut = asOf.minus(horizon);
      if (rs.getLong(1) == 0) {
        return cut;
      }
      Instant newest = Instant.ofEpochMilli(rs.getLong(2));
      // labels count purchases after the cut: none after it means the sales records stopped earlier
      return newest.isAfter(cut) ? cut : newest.plusMillis(1).minus(horizon);
    }
  }
}
