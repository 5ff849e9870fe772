package dev.lode.report;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.Optional;

/**
 * "Today" for relative report defaults over the data at hand: when the newest event (or, in a
 * warehouse without events, the newest order) is older than the wall clock's today (historic data
 * such as the 2010–2011 demo), today is the day after it, so {@code today-1} is the newest day with
 * data and {@code week_start-1} the last full week before it; otherwise the wall clock. Events lead
 * because most reports read behavior, and a few stray orders months after the rest (the bundled
 * sample has two) would otherwise put every report in an empty week.
 */
public final class DataClock {
  private final ConnectionSource warehouse;

  public DataClock(ConnectionSource warehouse) {
    this.warehouse = warehouse;
  }

  /** The day (in {@code zone}) of the newest event, else of the newest order; empty when there is neither. */
  public Optional<LocalDate> latestDay(ZoneId zone) throws SQLException {
    // ClickHouse knows "UTC", not java.time's "Z"
    String tz = zone.normalized().equals(java.time.ZoneOffset.UTC) ? "UTC" : zone.getId();
    try (Connection c = warehouse.connect(); Statement st = c.createStatement();
         ResultSet rs = st.executeQuery("SELECT toString(toDate(if((SELECT count() FROM events) > 0,"
             + " (SELECT max(event_time) FROM events), (SELECT max(order_time) FROM orders)), " + dev.lode.warehouse.SqlLiteral.string(tz) + "))"
             + " AS day, (SELECT count() FROM events) + (SELECT count() FROM orders) AS n")) {
      rs.next();
      return rs.getLong(2) == 0 ? Optional.empty() : Optional.of(LocalDate.parse(rs.getString(1)));
    }
  }

  /** The clock relative defaults count from: {@code wall}, or the start of the day after the newest data if earlier. */
  public Clock forRun(Clock wall) throws SQLException {
    ZoneId zone = wall.getZone();
    Optional<LocalDate> latest = latestDay(zone).filter(d -> d.isBefore(LocalDate.now(wall)));
    return latest.map(d -> Clock.fixed(d.plusDays(1).atStartOfDay(zone).toInstant(), zone)).orElse(wall);
  }
}
