package dev.lode.sql.behavior;

import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;

/**
 * The optional {@code [from, to)} range of a behavior function, in UTC: dates
 * ({@code 2026-01-31}) or timestamps ({@code 2026-01-31 12:00:00[.123]}); NULL or '' leaves
 * that side open.
 */
record TimeRange(LocalDateTime from, LocalDateTime to) {
  private static final DateTimeFormatter TS = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSS");

  static TimeRange of(Object from, Object to) {
    TimeRange r = new TimeRange(parse("from", from), parse("to", to));
    if (r.from != null && r.to != null && r.to.isBefore(r.from)) {
      throw new IllegalArgumentException("to (" + r.to + ") is before from (" + r.from + ")");
    }
    return r;
  }

  private static LocalDateTime parse(String argument, Object value) {
    if (value == null || value.toString().isBlank()) {
      return null;
    }
    String s = value.toString().trim();
    try {
      if (s.length() == 10) {
        return LocalDate.parse(s).atStartOfDay();
      }
      return LocalDateTime.parse(s.replace(' ', 'T'));
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException(argument + ": '" + s
          + "' is not a date (2026-01-31) or timestamp (2026-01-31 12:00:00) in UTC");
    }
  }

  /** ClickHouse conditions on {@code column}, e.g. {@code event_time >= … AND event_time < …}, or {@code 1}. */
  String condition(String column) {
    StringBuilder b = new StringBuilder("1");
    if (from != null) {
      b.append(" AND ").append(column).append(" >= ").append(literal(from));
    }
    if (to != null) {
      b.append(" AND ").append(column).append(" < ").append(literal(to));
    }
    return b.toString();
  }

  /** Condition on the upper bound only. */
  String upper(String column) {
    return to == null ? "1" : column + " < " + literal(to);
  }

  /** Condition on the lower bound only. */
  String lower(String column) {
    return from == null ? "1" : column + " >= " + literal(from);
  }

  static String literal(LocalDateTime t) {
    return "toDateTime64('" + TS.format(t) + "', 3, 'UTC')";
  }
}
