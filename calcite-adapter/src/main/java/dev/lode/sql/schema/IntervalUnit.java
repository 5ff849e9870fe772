package dev.lode.sql.schema;

/**
 * Chooses how an interval of a known size is written for ClickHouse: in the largest unit
 * that divides it exactly ({@code 604800000} ms is {@code 7 DAY}, {@code 90000} ms is
 * {@code 90 SECOND}), so generated SQL reads like what a person would write.
 */
final class IntervalUnit {
  private static final String[] DAY_TIME = {"DAY", "HOUR", "MINUTE", "SECOND", "MILLISECOND"};
  private static final long[] DAY_TIME_MS = {86_400_000L, 3_600_000L, 60_000L, 1_000L, 1L};

  private IntervalUnit() {
  }

  /**
   * @param value  milliseconds, or months when {@code months}
   * @return the unit name and the signed count in that unit
   */
  static String[] of(long value, boolean months) {
    if (months) {
      return value % 12 == 0 && value != 0 ? new String[] {"YEAR", Long.toString(value / 12)}
          : new String[] {"MONTH", Long.toString(value)};
    }
    for (int i = 0; i < DAY_TIME.length; i++) {
      if (value % DAY_TIME_MS[i] == 0 && (value != 0 || i == DAY_TIME.length - 1)) {
        return new String[] {DAY_TIME[i], Long.toString(value / DAY_TIME_MS[i])};
      }
    }
    throw new AssertionError(value);
  }
}
