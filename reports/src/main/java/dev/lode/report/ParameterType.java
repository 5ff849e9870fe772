package dev.lode.report;

import java.math.BigInteger;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Locale;

/**
 * The ClickHouse types a report parameter may have, each with the strict check a value
 * passes before it is sent to the engine as a {@code {name:Type}} query parameter.
 */
public enum ParameterType {
  DATE("Date"),
  DATETIME("DateTime"),
  UINT8("UInt8"),
  UINT16("UInt16"),
  UINT32("UInt32"),
  UINT64("UInt64"),
  INT32("Int32"),
  INT64("Int64"),
  FLOAT64("Float64"),
  STRING("String");

  private static final DateTimeFormatter DATETIME_TEXT = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");

  private final String clickHouseName;

  ParameterType(String clickHouseName) {
    this.clickHouseName = clickHouseName;
  }

  /** The type as written in {@code {name:Type}}. */
  public String clickHouseName() {
    return clickHouseName;
  }

  /** The type named {@code name} (ClickHouse spelling), or an error listing the supported ones. */
  public static ParameterType of(String name) {
    for (ParameterType t : values()) {
      if (t.clickHouseName.equals(name)) {
        return t;
      }
    }
    StringBuilder known = new StringBuilder();
    for (ParameterType t : values()) {
      known.append(known.isEmpty() ? "" : ", ").append(t.clickHouseName);
    }
    throw new IllegalArgumentException("unsupported parameter type '" + name + "' (supported: " + known + ")");
  }

  /**
   * Checks {@code raw} and returns it in the canonical text form ClickHouse parses for this
   * type; throws with a message naming what was expected.
   */
  public String canonical(String raw) {
    String v = raw.trim();
    try {
      return switch (this) {
        case DATE -> LocalDate.parse(v).toString();
        case DATETIME -> LocalDateTime.parse(v.replace(' ', 'T')).format(DATETIME_TEXT);
        case UINT8 -> integer(v, BigInteger.ZERO, BigInteger.valueOf(255));
        case UINT16 -> integer(v, BigInteger.ZERO, BigInteger.valueOf(65_535));
        case UINT32 -> integer(v, BigInteger.ZERO, BigInteger.valueOf(4_294_967_295L));
        case UINT64 -> integer(v, BigInteger.ZERO, new BigInteger("18446744073709551615"));
        case INT32 -> integer(v, BigInteger.valueOf(Integer.MIN_VALUE), BigInteger.valueOf(Integer.MAX_VALUE));
        case INT64 -> integer(v, BigInteger.valueOf(Long.MIN_VALUE), BigInteger.valueOf(Long.MAX_VALUE));
        case FLOAT64 -> {
          double d = Double.parseDouble(v);
          if (!Double.isFinite(d) || !v.matches("[-+]?[0-9]*\\.?[0-9]+([eE][-+]?[0-9]+)?")) {
            throw new NumberFormatException();
          }
          yield Double.toString(d);
        }
        case STRING -> raw;
      };
    } catch (DateTimeParseException | NumberFormatException e) {
      throw new IllegalArgumentException("expects a " + clickHouseName + " (" + example() + "), got '" + raw + "'");
    }
  }

  private static String integer(String v, BigInteger min, BigInteger max) {
    if (!v.matches("[-+]?[0-9]+")) {
      throw new NumberFormatException();
    }
    BigInteger b = new BigInteger(v);
    if (b.compareTo(min) < 0 || b.compareTo(max) > 0) {
      throw new NumberFormatException();
    }
    return b.toString();
  }

  private String example() {
    return switch (this) {
      case DATE -> "YYYY-MM-DD";
      case DATETIME -> "YYYY-MM-DD hh:mm:ss";
      case FLOAT64 -> "a finite number";
      case STRING -> "text";
      default -> "an integer in range of " + clickHouseName.toLowerCase(Locale.ROOT);
    };
  }

  /** A ClickHouse literal of this type for a canonical value, for views over default values. */
  public String literal(String canonical) {
    return switch (this) {
      case DATE -> "toDate('" + canonical + "')";
      case DATETIME -> "toDateTime('" + canonical + "', 'UTC')";
      case STRING -> quote(canonical);
      default -> "to" + clickHouseName + "(" + canonical + ")";
    };
  }

  /** A ClickHouse string literal: backslash and quote escaped, so any text stays a string. */
  static String quote(String s) {
    return "'" + s.replace("\\", "\\\\").replace("'", "\\'") + "'";
  }
}
