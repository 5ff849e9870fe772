package dev.lode.bi;

import java.math.BigDecimal;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * A result set as a reader compares it: each value as text, with timestamps as UTC wall-clock
 * time, dates as ISO dates and numbers without trailing zeros, so that the Avatica drivers'
 * {@code java.sql} types and clickhouse-jdbc's {@code java.time} types of one value print alike.
 */
record Answer(List<List<String>> rows) {

  static Answer of(ResultSet rs) throws SQLException {
    int n = rs.getMetaData().getColumnCount();
    List<List<String>> out = new ArrayList<>();
    while (rs.next()) {
      List<String> row = new ArrayList<>();
      for (int i = 1; i <= n; i++) {
        row.add(text(rs.getObject(i)));
      }
      out.add(List.copyOf(row));
    }
    return new Answer(List.copyOf(out));
  }

  /** The same rows in a fixed order, for queries whose order a tool does not ask for. */
  Answer sorted() {
    List<List<String>> copy = new ArrayList<>(rows);
    copy.sort(Comparator.comparing(Object::toString));
    return new Answer(List.copyOf(copy));
  }

  static String text(Object v) {
    return switch (v) {
      case null -> "NULL";
      case java.sql.Timestamp t -> wallClock(t.toLocalDateTime());
      case java.sql.Date d -> d.toLocalDate().toString();
      case LocalDateTime t -> wallClock(t);
      case ZonedDateTime t -> wallClock(t.withZoneSameInstant(ZoneOffset.UTC).toLocalDateTime());
      case OffsetDateTime t -> wallClock(t.atZoneSameInstant(ZoneOffset.UTC).toLocalDateTime());
      case LocalDate d -> d.toString();
      case Boolean b -> b.toString();
      case Number x -> number(x);
      default -> v.toString();
    };
  }

  private static String number(Number x) {
    BigDecimal d = x instanceof BigDecimal b ? b : new BigDecimal(x.toString());
    return d.signum() == 0 ? "0" : d.stripTrailingZeros().toPlainString();
  }

  private static String wallClock(LocalDateTime t) {
    String s = t.toString().replace('T', ' ');
    return s.length() == 16 ? s + ":00" : s;
  }
}
