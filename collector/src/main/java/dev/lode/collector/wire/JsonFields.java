package dev.lode.collector.wire;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lode.collector.ReasonCode;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.Map;

/** Typed reads of event fields that name the field and the problem when the type is wrong. */
final class JsonFields {
  private static final BigDecimal DECIMAL_LIMIT = new BigDecimal("100000000000000"); // Decimal(18, 4): 14 integer digits

  private JsonFields() {
  }

  static boolean present(JsonNode n) {
    return n != null && !n.isNull() && !n.isMissingNode();
  }

  /** A string field; numbers and booleans become text, objects and arrays are wrong_type. */
  static String text(JsonNode parent, String field) throws RejectedEvent {
    JsonNode n = parent.get(field);
    if (!present(n)) {
      return "";
    }
    if (n.isTextual()) {
      return n.textValue();
    }
    if (n.isNumber() || n.isBoolean()) {
      return n.asText();
    }
    throw new RejectedEvent(ReasonCode.WRONG_TYPE, "'" + field + "' must be a string, got " + kind(n));
  }

  /** An id field: a string or an integer; anything else is wrong_type. */
  static String id(JsonNode parent, String field) throws RejectedEvent {
    JsonNode n = parent.get(field);
    if (!present(n)) {
      return "";
    }
    if (n.isTextual()) {
      return n.textValue();
    }
    if (n.isIntegralNumber()) {
      return n.asText();
    }
    throw new RejectedEvent(ReasonCode.WRONG_TYPE, "'" + field + "' must be a string or an integer, got " + kind(n));
  }

  /** An object field (or absent); anything else is wrong_type. */
  static JsonNode object(JsonNode parent, String field) throws RejectedEvent {
    JsonNode n = parent.get(field);
    if (!present(n)) {
      return null;
    }
    if (!n.isObject()) {
      throw new RejectedEvent(ReasonCode.WRONG_TYPE, "'" + field + "' must be an object, got " + kind(n));
    }
    return n;
  }

  /** Nested text, e.g. {@code context.page.url}; missing or non-object steps give "". */
  static String path(JsonNode root, String... steps) {
    JsonNode n = root;
    for (String s : steps) {
      if (n == null || !n.isObject()) {
        return "";
      }
      n = n.get(s);
    }
    return present(n) && n.isValueNode() ? n.asText() : "";
  }

  /** An ISO-8601 string (offset or Z; without one, UTC) or epoch milliseconds; null when absent. */
  static Long timestamp(JsonNode parent, String field) throws RejectedEvent {
    JsonNode n = parent.get(field);
    if (!present(n)) {
      return null;
    }
    if (n.isIntegralNumber() && n.canConvertToLong()) {
      return n.longValue();
    }
    if (!n.isTextual()) {
      throw new RejectedEvent(ReasonCode.WRONG_TYPE, "'" + field + "' must be an ISO-8601 string, got " + kind(n));
    }
    return parseTime(field, n.textValue());
  }

  static long parseTime(String field, String s) throws RejectedEvent {
    String t = s.strip();
    long fast = fastUtc(t);
    if (fast != Long.MIN_VALUE) {
      return fast;
    }
    try {
      return OffsetDateTime.parse(t).toInstant().toEpochMilli();
    } catch (DateTimeParseException e) {
      // try the looser forms below
    }
    try {
      return Instant.parse(t).toEpochMilli();
    } catch (DateTimeParseException e) {
      // try the looser forms below
    }
    try {
      return LocalDateTime.parse(t.replace(' ', 'T')).toInstant(ZoneOffset.UTC).toEpochMilli();
    } catch (DateTimeParseException e) {
      // try the looser forms below
    }
    try {
      return LocalDate.parse(t).atStartOfDay().toInstant(ZoneOffset.UTC).toEpochMilli();
    } catch (DateTimeParseException e) {
      throw new RejectedEvent(ReasonCode.INVALID_TIMESTAMP, "'" + field + "' is not an ISO-8601 time: '"
          + EventDraft.abbreviate(s) + "'");
    }
  }

  /**
   * The common SDK form {@code yyyy-MM-ddTHH:mm:ss[.fraction]Z} without the cost of a
   * DateTimeFormatter; anything else gives {@code Long.MIN_VALUE} and takes the general path.
   */
  static long fastUtc(String t) {
    int n = t.length();
    if (n < 20 || t.charAt(n - 1) != 'Z' || t.charAt(4) != '-' || t.charAt(7) != '-' || t.charAt(10) != 'T'
        || t.charAt(13) != ':' || t.charAt(16) != ':') {
      return Long.MIN_VALUE;
    }
    int year = digits(t, 0, 4);
    int month = digits(t, 5, 2);
    int day = digits(t, 8, 2);
    int hour = digits(t, 11, 2);
    int minute = digits(t, 14, 2);
    int second = digits(t, 17, 2);
    if (year < 0 || month < 1 || month > 12 || day < 1 || day > 31 || hour < 0 || hour > 23 || minute < 0
        || minute > 59 || second < 0 || second > 59) {
      return Long.MIN_VALUE;
    }
    int millis = 0;
    if (n > 20) {
      if (t.charAt(19) != '.' || n == 21) {
        return Long.MIN_VALUE;
      }
      int scale = 100;
      for (int i = 20; i < n - 1; i++) {
        int d = t.charAt(i) - '0';
        if (d < 0 || d > 9) {
          return Long.MIN_VALUE;
        }
        millis += d * scale;
        scale /= 10;
      }
    }
    if (day > java.time.YearMonth.of(year, month).lengthOfMonth()) {
      return Long.MIN_VALUE;
    }
    long days = LocalDate.of(year, month, day).toEpochDay();
    return ((days * 24 + hour) * 60 + minute) * 60_000L + second * 1000L + millis;
  }

  private static int digits(String t, int from, int len) {
    int v = 0;
    for (int i = from; i < from + len; i++) {
      int d = t.charAt(i) - '0';
      if (d < 0 || d > 9) {
        return -1;
      }
      v = v * 10 + d;
    }
    return v;
  }

  /** A money amount fitting Decimal(18, 4) (numbers or numeric strings); null when absent. */
  static BigDecimal decimal(JsonNode parent, String field) throws RejectedEvent {
    JsonNode n = parent.get(field);
    if (!present(n)) {
      return null;
    }
    BigDecimal v;
    if (n.isNumber()) {
      v = n.decimalValue();
    } else if (n.isTextual()) {
      try {
        v = new BigDecimal(n.textValue().strip());
      } catch (NumberFormatException e) {
        throw new RejectedEvent(ReasonCode.WRONG_TYPE, "'" + field + "' must be a number, got '"
            + EventDraft.abbreviate(n.textValue()) + "'");
      }
    } else {
      throw new RejectedEvent(ReasonCode.WRONG_TYPE, "'" + field + "' must be a number, got " + kind(n));
    }
    if (v.abs().compareTo(DECIMAL_LIMIT) >= 0) {
      throw new RejectedEvent(ReasonCode.OUT_OF_RANGE, "'" + field + "' = " + EventDraft.abbreviate(v.toString())
          + " does not fit Decimal(18, 4)");
    }
    return v.setScale(4, RoundingMode.HALF_UP);
  }

  /** An Int32 count (numbers or numeric strings); 0 when absent. */
  static int int32(JsonNode parent, String field) throws RejectedEvent {
    BigDecimal v = decimalUnbounded(parent, field);
    if (v == null) {
      return 0;
    }
    try {
      return v.intValueExact();
    } catch (ArithmeticException e) {
      if (v.stripTrailingZeros().scale() > 0) {
        throw new RejectedEvent(ReasonCode.WRONG_TYPE, "'" + field + "' must be an integer, got " + v);
      }
      throw new RejectedEvent(ReasonCode.OUT_OF_RANGE, "'" + field + "' = " + EventDraft.abbreviate(v.toString())
          + " does not fit Int32");
    }
  }

  private static BigDecimal decimalUnbounded(JsonNode parent, String field) throws RejectedEvent {
    JsonNode n = parent.get(field);
    if (!present(n)) {
      return null;
    }
    if (n.isNumber()) {
      return n.decimalValue();
    }
    if (n.isTextual()) {
      try {
        return new BigDecimal(n.textValue().strip());
      } catch (NumberFormatException e) {
        throw new RejectedEvent(ReasonCode.WRONG_TYPE, "'" + field + "' must be a number, got '"
            + EventDraft.abbreviate(n.textValue()) + "'");
      }
    }
    throw new RejectedEvent(ReasonCode.WRONG_TYPE, "'" + field + "' must be a number, got " + kind(n));
  }

  /** Copies an object's members into properties: scalars as text, objects and arrays as compact JSON, nulls skipped. */
  static void flatten(JsonNode obj, String prefix, Map<String, String> into) {
    if (obj == null) {
      return;
    }
    for (Map.Entry<String, JsonNode> e : obj.properties()) {
      JsonNode v = e.getValue();
      if (!present(v)) {
        continue;
      }
      into.put(prefix + e.getKey(), v.isValueNode() ? v.asText() : v.toString());
    }
  }

  static String kind(JsonNode n) {
    return n.getNodeType().name().toLowerCase(java.util.Locale.ROOT);
  }
}
