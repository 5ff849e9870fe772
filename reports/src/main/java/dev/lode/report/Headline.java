package dev.lode.report;

import java.math.BigDecimal;
import java.math.MathContext;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A key figure of a report's headline strip, computed from the result rows: declared as
 * {@code -- headline: pct(purchase_sessions, sessions) | Session conversion | percent}, optionally with
 * {@code where column=value} to pick rows and {@code | lower-is-better} when a fall is good news.
 * Aggregates: {@code sum, avg, min, max, first, last, count()}, {@code ratio(a, b)} = sum(a)/sum(b) and
 * {@code pct(a, b)} = 100·sum(a)/sum(b).
 */
public record Headline(String aggregate, List<String> columns, Optional<String> whereColumn, String whereValue,
                       String label, ColumnFormat format, boolean lowerIsBetter) {
  private static final Pattern EXPR = Pattern.compile(
      "([a-z]+)\\(\\s*([A-Za-z0-9_]*)\\s*(?:,\\s*([A-Za-z0-9_]+)\\s*)?\\)\\s*(?:where\\s+([A-Za-z0-9_]+)\\s*=\\s*(\\S+))?");
  private static final List<String> ONE = List.of("sum", "avg", "min", "max", "first", "last");

  /** Parses the {@code headline:} header value. */
  public static Headline parse(String text) {
    String[] parts = text.split("\\|", -1);
    if (parts.length < 3) {
      throw new IllegalArgumentException("headline '" + text + "' must read 'aggregate(column) | Label | format"
          + " [| lower-is-better]'");
    }
    Matcher m = EXPR.matcher(parts[0].strip());
    if (!m.matches()) {
      throw new IllegalArgumentException("headline figure '" + parts[0].strip() + "' must be sum|avg|min|max|first|last"
          + "(column), count(), ratio(a, b) or pct(a, b), optionally followed by 'where column=value'");
    }
    String agg = m.group(1).toLowerCase(Locale.ROOT);
    List<String> cols = m.group(3) != null ? List.of(m.group(2), m.group(3))
        : m.group(2).isEmpty() ? List.of() : List.of(m.group(2));
    if (!ONE.contains(agg) && !List.of("count", "ratio", "pct").contains(agg)) {
      throw new IllegalArgumentException("headline figure '" + parts[0].strip() + "': unknown aggregate '" + agg
          + "' (sum, avg, min, max, first, last, count, ratio, pct)");
    }
    int want = ONE.contains(agg) ? 1 : agg.equals("count") ? 0 : 2;
    if (cols.size() != want) {
      throw new IllegalArgumentException("headline figure '" + parts[0].strip() + "': " + agg + " takes "
          + (want == 0 ? "no column" : want == 1 ? "one column" : "two columns"));
    }
    boolean lower = parts.length > 3 && parts[3].strip().equals("lower-is-better");
    if (parts.length > 3 && !lower && !parts[3].isBlank()) {
      throw new IllegalArgumentException("headline option '" + parts[3].strip() + "' is not lower-is-better");
    }
    return new Headline(agg, cols, Optional.ofNullable(m.group(4)), m.group(5) == null ? "" : m.group(5),
        parts[1].strip(), ColumnFormat.of(parts[2]), lower);
  }

  /** The columns this figure reads, for checking them against the result. */
  public List<String> referencedColumns() {
    List<String> all = new java.util.ArrayList<>(columns);
    whereColumn.ifPresent(all::add);
    return all;
  }

  /** The figure over {@code r}'s rows; empty when there are no rows to aggregate or a ratio's divisor is 0. */
  public Optional<BigDecimal> compute(ReportResult r) {
    int wi = whereColumn.map(r::indexOf).orElse(-1);
    List<Object[]> rows = r.rows().stream()
        .filter(row -> wi < 0 || ReportResult.text(row[wi]).equals(whereValue)).toList();
    if (rows.isEmpty()) {
      return aggregate.equals("count") ? Optional.of(BigDecimal.ZERO) : Optional.empty();
    }
    if (aggregate.equals("count")) {
      return Optional.of(BigDecimal.valueOf(rows.size()));
    }
    int a = r.indexOf(columns.get(0));
    return switch (aggregate) {
      case "sum" -> Optional.of(sum(rows, a));
      case "avg" -> Optional.of(sum(rows, a).divide(BigDecimal.valueOf(rows.size()), MathContext.DECIMAL64));
      case "min" -> rows.stream().map(row -> decimal(row[a])).min(BigDecimal::compareTo);
      case "max" -> rows.stream().map(row -> decimal(row[a])).max(BigDecimal::compareTo);
      case "first" -> Optional.of(decimal(rows.getFirst()[a]));
      case "last" -> Optional.of(decimal(rows.getLast()[a]));
      default -> {
        BigDecimal num = sum(rows, a);
        BigDecimal den = sum(rows, r.indexOf(columns.get(1)));
        if (den.signum() == 0) {
          yield Optional.empty();
        }
        BigDecimal q = num.divide(den, MathContext.DECIMAL64);
        yield Optional.of(aggregate.equals("pct") ? q.multiply(BigDecimal.valueOf(100)) : q);
      }
    };
  }

  private static BigDecimal sum(List<Object[]> rows, int i) {
    BigDecimal s = BigDecimal.ZERO;
    for (Object[] row : rows) {
      s = s.add(decimal(row[i]));
    }
    return s;
  }

  private static BigDecimal decimal(Object v) {
    if (v instanceof BigDecimal b) {
      return b;
    }
    if (v instanceof Long || v instanceof Integer || v instanceof Short || v instanceof Byte) {
      return BigDecimal.valueOf(((Number) v).longValue());
    }
    if (v instanceof java.math.BigInteger b) {
      return new BigDecimal(b);
    }
    double d = ReportResult.number(v);
    return Double.isNaN(d) ? BigDecimal.ZERO : BigDecimal.valueOf(d);
  }
}
