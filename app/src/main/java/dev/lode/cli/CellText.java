package dev.lode.cli;

import java.math.BigDecimal;
import java.sql.Array;
import java.sql.SQLException;
import java.sql.Struct;
import java.sql.Timestamp;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Collection;
import java.util.Map;
import java.util.StringJoiner;

/**
 * One value as {@code bin/lode sql} prints it, in ClickHouse's text style: arrays as
 * {@code [1,2]}, tuples as {@code (1,'x')}, strings inside them quoted, doubles in their
 * shortest round-trip digits without exponent ({@code 0.00000699}, not {@code 6.99E-6}),
 * timestamps without a trailing {@code .0}.
 */
final class CellText {
  private static final DateTimeFormatter SECONDS = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");

  private CellText() {
  }

  /** The text of a top-level value; {@code null} prints as NULL. */
  static String of(Object v) throws SQLException {
    return v instanceof String s ? s : nested(v, false);
  }

  private static String nested(Object v, boolean inside) throws SQLException {
    return switch (v) {
      case null -> "NULL";
      case String s -> inside ? "'" + s.replace("\\", "\\\\").replace("'", "\\'") + "'" : s;
      case Double d -> number(d);
      case Float f -> f.isNaN() || f.isInfinite() ? number(f.doubleValue()) : plain(new BigDecimal(Float.toString(f)));
      case BigDecimal b -> b.toPlainString();
      case Timestamp t -> timestamp(t.toLocalDateTime());
      case LocalDateTime t -> timestamp(t);
      case OffsetDateTime t -> timestamp(t.toLocalDateTime());
      case ZonedDateTime t -> timestamp(t.toLocalDateTime());
      case Array a -> elements(a.getArray(), "[", "]");
      case Struct s -> elements(s.getAttributes(), "(", ")");
      case Collection<?> c -> elements(c.toArray(), "[", "]");
      case Map<?, ?> m -> map(m);
      case byte[] b -> new String(b, java.nio.charset.StandardCharsets.UTF_8);
      default -> v.getClass().isArray() ? elements(v, "[", "]") : v.toString();
    };
  }

  /** A ClickHouse tuple, which the driver hands over as an array or list: {@code (1,'x')}. */
  static String tuple(Object v) throws SQLException {
    return switch (v) {
      case null -> "NULL";
      case Collection<?> c -> elements(c.toArray(), "(", ")");
      case Array a -> elements(a.getArray(), "(", ")");
      default -> v.getClass().isArray() ? elements(v, "(", ")") : of(v);
    };
  }

  /** A double in its shortest round-trip digits, plainly written; ClickHouse's nan and inf. */
  static String number(double d) {
    if (Double.isNaN(d)) {
      return "nan";
    }
    if (Double.isInfinite(d)) {
      return d > 0 ? "inf" : "-inf";
    }
    return plain(new BigDecimal(Double.toString(d)));
  }

  private static String plain(BigDecimal b) {
    return b.signum() == 0 ? "0" : b.stripTrailingZeros().toPlainString();
  }

  private static String timestamp(LocalDateTime t) {
    return t.getNano() == 0 ? t.format(SECONDS) : t.toString().replace('T', ' ');
  }

  private static String elements(Object array, String open, String close) throws SQLException {
    StringJoiner j = new StringJoiner(",", open, close);
    int n = java.lang.reflect.Array.getLength(array);
    for (int i = 0; i < n; i++) {
      j.add(nested(java.lang.reflect.Array.get(array, i), true));
    }
    return j.toString();
  }

  private static String map(Map<?, ?> m) throws SQLException {
    StringJoiner j = new StringJoiner(",", "{", "}");
    for (Map.Entry<?, ?> e : m.entrySet()) {
      j.add(nested(e.getKey(), true) + ":" + nested(e.getValue(), true));
    }
    return j.toString();
  }
}
