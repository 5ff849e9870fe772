package dev.lode.udf.time;

import java.time.Duration;
import java.time.Period;
import java.time.format.DateTimeParseException;
import java.util.Locale;

/**
 * An ISO-8601 period as Druid's time functions take it ({@code PT15M}, {@code P1D}, {@code P1W},
 * {@code P3M}) written as the ClickHouse interval of one unit it equals ({@code INTERVAL 15 MINUTE}).
 */
record IsoPeriod(long count, String unit) {
  /** Parses {@code text}; a period mixing units (P1DT2H) has no single ClickHouse interval and is refused. */
  static IsoPeriod parse(String text) {
    String t = text.trim().toUpperCase(Locale.ROOT);
    try {
      if (t.contains("T")) {
        Duration d = Duration.parse(t);
        long ms = d.toMillis();
        long[] sizes = {3_600_000L, 60_000L, 1_000L, 1L};
        String[] units = {"HOUR", "MINUTE", "SECOND", "MILLISECOND"};
        for (int i = 0; i < sizes.length; i++) {
          if (ms > 0 && ms % sizes[i] == 0) {
            return new IsoPeriod(ms / sizes[i], units[i]);
          }
        }
      } else {
        Period p = Period.parse(t);
        int nonZero = (p.getYears() != 0 ? 1 : 0) + (p.getMonths() != 0 ? 1 : 0) + (p.getDays() != 0 ? 1 : 0);
        if (nonZero == 1 && !p.isNegative()) {
          if (p.getYears() != 0) {
            return new IsoPeriod(p.getYears(), "YEAR");
          }
          if (p.getMonths() != 0) {
            return new IsoPeriod(p.getMonths(), "MONTH");
          }
          // java.time reads P1W as 7 days; Druid's weeks start on Monday, as ClickHouse's do
          return t.endsWith("W") ? new IsoPeriod(p.getDays() / 7, "WEEK") : new IsoPeriod(p.getDays(), "DAY");
        }
      }
    } catch (DateTimeParseException e) {
      // reported below
    }
    throw new IllegalArgumentException("'" + text + "' is not an ISO-8601 period of one unit"
        + " (PT1S, PT15M, PT1H, P1D, P1W, P1M, P3M, P1Y)");
  }

  /** {@code INTERVAL n UNIT}. */
  String interval() {
    return "INTERVAL " + count + " " + unit;
  }
}
