package dev.lode.load;

import dev.lode.warehouse.insert.ColumnType;

import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.temporal.TemporalAccessor;

/**
 * Turns timestamp text into epoch milliseconds: ISO-like text ({@code 2010-12-01 08:26:00},
 * {@code 2010-12-01T08:26:00.123Z}, {@code +01:00} offsets, a bare date) on a hand-written
 * fast path, {@code epoch_s}/{@code epoch_ms} numbers, or any {@link DateTimeFormatter}
 * pattern. Text without an offset is read in the mapping's time zone.
 */
public final class TimeParser {
  private final String format;
  private final ZoneId zone;
  private final boolean utc;
  private final DateTimeFormatter formatter;
  private String lastText;
  private long lastValue;

  public TimeParser(String format, ZoneId zone) {
    this.format = format == null || format.isBlank() ? "iso" : format;
    this.zone = zone;
    this.utc = zone.normalized().equals(ZoneOffset.UTC);
    this.formatter = switch (this.format) {
      case "iso", "epoch_s", "epoch_ms" -> null;
      default -> DateTimeFormatter.ofPattern(this.format);
    };
  }

  /** Epoch milliseconds, or throws {@link IllegalArgumentException} naming the expected format. */
  public long parse(String s) {
    // consecutive records often carry the same timestamp (lines of one order, one second of a log)
    if (s.equals(lastText)) {
      return lastValue;
    }
    long v = parseUncached(s);
    lastText = s;
    lastValue = v;
    return v;
  }

  private long parseUncached(String s) {
    try {
      return switch (format) {
        case "iso" -> iso(s);
        case "epoch_s" -> Math.round(Double.parseDouble(s) * 1000);
        case "epoch_ms" -> ColumnType.parseLong(s);
        default -> pattern(s);
      };
    } catch (RuntimeException e) {
      throw new IllegalArgumentException("'" + s + "' is not a timestamp in format " + format);
    }
  }

  private long pattern(String s) {
    TemporalAccessor t = formatter.parseBest(s, java.time.ZonedDateTime::from, LocalDateTime::from, LocalDate::from);
    if (t instanceof java.time.ZonedDateTime z) {
      return z.toInstant().toEpochMilli();
    }
    if (t instanceof LocalDateTime l) {
      return l.atZone(zone).toInstant().toEpochMilli();
    }
    return ((LocalDate) t).atStartOfDay(zone).toInstant().toEpochMilli();
  }

  private long iso(String s) {
    int n = s.length();
    if (n < 10 || s.charAt(4) != '-' || s.charAt(7) != '-') {
      throw new DateTimeParseException("not ISO", s, 0);
    }
    int year = digits(s, 0, 4);
    int month = digits(s, 5, 2);
    int day = digits(s, 8, 2);
    int hour = 0;
    int minute = 0;
    int second = 0;
    int millis = 0;
    int i = 10;
    if (i < n && (s.charAt(i) == ' ' || s.charAt(i) == 'T')) {
      hour = digits(s, i + 1, 2);
      if (s.charAt(i + 3) != ':') {
        throw new DateTimeParseException("not ISO", s, i + 3);
      }
      minute = digits(s, i + 4, 2);
      i += 6;
      if (i < n && s.charAt(i) == ':') {
        second = digits(s, i + 1, 2);
        i += 3;
        if (i < n && (s.charAt(i) == '.' || s.charAt(i) == ',')) {
          i++;
          int scale = 100;
          while (i < n && Character.isDigit(s.charAt(i))) {
            millis += (s.charAt(i) - '0') * scale;
            scale /= 10;
            i++;
          }
        }
      }
    }
    if (month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || minute > 59 || second > 60) {
      throw new DateTimeParseException("out of range", s, 0);
    }
    long offsetSeconds;
    boolean explicit = false;
    if (i == n) {
      offsetSeconds = 0;
    } else if (s.charAt(i) == 'Z' && i + 1 == n) {
      offsetSeconds = 0;
      explicit = true;
    } else if ((s.charAt(i) == '+' || s.charAt(i) == '-') && (n - i == 6 || n - i == 5 || n - i == 3)) {
      int sign = s.charAt(i) == '-' ? -1 : 1;
      int oh = digits(s, i + 1, 2);
      int om = n - i == 3 ? 0 : digits(s, n - 2, 2);
      offsetSeconds = sign * (oh * 3600L + om * 60L);
      explicit = true;
    } else {
      throw new DateTimeParseException("trailing text", s, i);
    }
    if (!explicit && !utc) {
      return LocalDateTime.of(year, month, day, hour, minute, second, millis * 1_000_000).atZone(zone).toInstant()
          .toEpochMilli();
    }
    long days = daysFromCivil(year, month, day);
    return ((days * 86400 + hour * 3600L + minute * 60L + second) - offsetSeconds) * 1000 + millis;
  }

  private static int digits(String s, int from, int count) {
    int v = 0;
    for (int i = from; i < from + count; i++) {
      char c = s.charAt(i);
      if (c < '0' || c > '9') {
        throw new DateTimeParseException("digit expected", s, i);
      }
      v = v * 10 + (c - '0');
    }
    return v;
  }

  /** Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's algorithm). */
  static long daysFromCivil(int y, int m, int d) {
    y -= m <= 2 ? 1 : 0;
    long era = (y >= 0 ? y : y - 399) / 400;
    long yoe = y - era * 400;
    long doy = (153L * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
  }
}
