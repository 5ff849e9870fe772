package dev.lode.warehouse;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/** ClickHouse literals for SQL that Lode generates: the only way values reach generated query text. */
public final class SqlLiteral {
  private static final DateTimeFormatter FORMAT = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSS")
      .withZone(ZoneOffset.UTC);

  private SqlLiteral() {
  }

  /** {@code toDateTime64('2026-11-22 14:00:00.000', 3, 'UTC')}. */
  public static String timestamp(Instant t) {
    return "toDateTime64('" + FORMAT.format(t) + "', 3, 'UTC')";
  }

  /** A double as a Float64 literal; NaN and infinities are refused. */
  public static String number(double x) {
    if (!Double.isFinite(x)) {
      throw new IllegalArgumentException("not a finite number: " + x);
    }
    return "toFloat64(" + x + ")";
  }

  /** {@code `name`}: a ClickHouse identifier (database, table, column) quoted with backquotes, escapes included. */
  public static String identifier(String name) {
    return "`" + name.replace("\\", "\\\\").replace("`", "\\`") + "`";
  }

  /** {@code 'value'} with backslashes, quotes and every control character escaped as ClickHouse reads them. */
  public static String string(String value) {
    StringBuilder b = new StringBuilder(value.length() + 2).append('\'');
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      switch (c) {
        case '\\' -> b.append("\\\\");
        case '\'' -> b.append("\\'");
        case '\n' -> b.append("\\n");
        case '\r' -> b.append("\\r");
        case '\t' -> b.append("\\t");
        case '\0' -> b.append("\\0");
        default -> {
          if (c < 0x20) {
            b.append(String.format("\\x%02X", (int) c)); // other control characters never appear raw
          } else {
            b.append(c);
          }
        }
      }
    }
    return b.append('\'').toString();
  }
}
