package dev.lode.report;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;

/** The rows one report run produced, with column names and ClickHouse types, and the parameters it ran with. */
public record ReportResult(ReportDefinition report, Map<String, String> parameters, List<String> columns,
                           List<String> types, List<Object[]> rows) {

  /** The index of {@code column}, or -1. */
  public int indexOf(String column) {
    return columns.indexOf(column);
  }

  /** A cell as text: plain decimals (at least the cents), ISO dates, empty for NULL. */
  public static String text(Object v) {
    if (v == null) {
      return "";
    }
    if (v instanceof BigDecimal d) {
      // money keeps its cents (102.60, not 102.6); further zeros of the column's scale are dropped
      int scale = Math.max(Math.min(d.scale(), 2), d.stripTrailingZeros().scale());
      return d.setScale(scale, java.math.RoundingMode.UNNECESSARY).toPlainString();
    }
    if (v instanceof Double d) {
      return d == Math.rint(d) && Math.abs(d) < 1e15 ? Long.toString(d.longValue()) : d.toString();
    }
    if (v instanceof Float f) {
      return text(f.doubleValue());
    }
    if (v instanceof java.time.ZonedDateTime z) {
      return z.toLocalDateTime().toString().replace('T', ' ');
    }
    return v.toString();
  }

  /** A cell as a number for charts, or NaN when it is not numeric. */
  public static double number(Object v) {
    if (v instanceof Number n) {
      return n.doubleValue();
    }
    return Double.NaN;
  }
}
