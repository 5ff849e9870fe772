package dev.lode.report;

import java.math.BigDecimal;
import java.text.NumberFormat;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.util.Currency;
import java.util.Locale;

/** How a report shows a column's values to a reader: grouped integers, money, percentages, dates or plain text. */
public enum ColumnFormat {
  INTEGER, NUMBER, CURRENCY, PERCENT, POINTS, DATE, MONTH, TEXT, NAME;

  private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("EEE d MMM yyyy", Locale.ENGLISH);
  private static final DateTimeFormatter MONTH_NAME = DateTimeFormatter.ofPattern("MMM yyyy", Locale.ENGLISH);

  /** The format named {@code s} in a report header. */
  public static ColumnFormat of(String s) {
    try {
      return valueOf(s.trim().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("format '" + s.strip() + "' is not one of integer, number, currency, percent, points,"
          + " date, month, text, name", e);
    }
  }

  /** The format a column gets when its header declares none: numbers grouped, dates as dates, text as is. */
  public static ColumnFormat guess(String clickHouseType) {
    String t = clickHouseType.replace("Nullable(", "").replace("LowCardinality(", "");
    if (t.startsWith("Int") || t.startsWith("UInt")) {
      return INTEGER;
    }
    if (t.startsWith("Float") || t.startsWith("Decimal")) {
      return NUMBER;
    }
    if (t.startsWith("Date")) {
      return t.startsWith("DateTime") ? TEXT : DATE;
    }
    return TEXT;
  }

  /** {@code v} as a reader sees it; empty for NULL, money in {@code currency} (British English grouping). */
  public String format(Object v, Currency currency) {
    if (v == null) {
      return "";
    }
    double d = ReportResult.number(v);
    return switch (this) {
      case INTEGER -> Double.isNaN(d) ? ReportResult.text(v) : String.format(Locale.UK, "%,d", Math.round(d));
      case NUMBER -> Double.isNaN(d) ? ReportResult.text(v) : number(d);
      case CURRENCY -> Double.isNaN(d) ? ReportResult.text(v) : money(v, currency);
      // two places, as the reports round them: one figure shows the same wherever it appears
      case PERCENT -> Double.isNaN(d) ? ReportResult.text(v) : percent(v) + "%";
      case POINTS -> Double.isNaN(d) ? ReportResult.text(v)
          : String.format(Locale.UK, "%s%,.1f pts", d > 0 ? "+" : "", d);
      case DATE -> date(v, DAY);
      case MONTH -> date(v, MONTH_NAME);
      case TEXT -> ReportResult.text(v);
      case NAME -> humanize(ReportResult.text(v));
    };
  }

  /** Whether the values are numbers a table aligns to the right. */
  public boolean numeric() {
    return this == INTEGER || this == NUMBER || this == CURRENCY || this == PERCENT || this == POINTS;
  }

  private static String percent(Object v) {
    BigDecimal b = v instanceof BigDecimal x ? x : new BigDecimal(Double.toString(ReportResult.number(v)));
    b = b.setScale(2, java.math.RoundingMode.HALF_UP).stripTrailingZeros();
    return b.scale() < 0 ? b.setScale(0).toPlainString() : b.toPlainString();
  }

  private static String number(double d) {
    if (d == Math.rint(d) && Math.abs(d) < 1e15) {
      return String.format(Locale.UK, "%,d", (long) d);
    }
    return String.format(Locale.UK, Math.abs(d) >= 100 ? "%,.0f" : "%,.2f", d);
  }

  private static String money(Object v, Currency currency) {
    NumberFormat f = NumberFormat.getCurrencyInstance(Locale.UK);
    f.setCurrency(currency);
    f.setMinimumFractionDigits(2);
    f.setMaximumFractionDigits(2);
    return f.format(v instanceof BigDecimal b ? b : BigDecimal.valueOf(ReportResult.number(v)));
  }

  private static String date(Object v, DateTimeFormatter f) {
    String s = ReportResult.text(v);
    try {
      return LocalDate.parse(s.length() > 10 ? s.substring(0, 10) : s).format(f);
    } catch (java.time.format.DateTimeParseException e) {
      return s;
    }
  }

  /** {@code avg_order_value} → {@code Avg order value}: the fallback label of a column nobody labelled. */
  public static String humanize(String name) {
    String s = name.replace('_', ' ').strip();
    if (s.isEmpty()) {
      return s;
    }
    return Character.toUpperCase(s.charAt(0)) + s.substring(1);
  }
}
