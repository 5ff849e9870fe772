package dev.lode.cli;

import dev.lode.report.ConnectionSource;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.Optional;

/** The day of the newest event or order in the warehouse, for defaults that count back from "today". */
final class LatestData {
  private LatestData() {
  }

  static Optional<LocalDate> day(ConnectionSource source, ZoneId zone) throws SQLException {
    try (Connection c = source.connect(); Statement st = c.createStatement();
         ResultSet rs = st.executeQuery("SELECT toString(toDate(greatest((SELECT max(event_time) FROM events),"
             + " (SELECT max(order_time) FROM orders)), " + dev.lode.warehouse.SqlLiteral.string(zone.getId()) + "))"
             + " AS day, (SELECT count() FROM events) + (SELECT count() FROM orders) AS n")) {
      rs.next();
      return rs.getLong(2) == 0 ? Optional.empty() : Optional.of(LocalDate.parse(rs.getString(1)));
    }
  }
}
