package dev.lode.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What a report's HTML page draws: {@code line} or {@code bar} over the x column, one
 * series per y column, or one series per distinct value of the {@code series} column
 * (long-format results such as cohort × month); a {@code heatmap} (one row per series value,
 * one cell per x, e.g. a cohort triangle) or a {@code funnel} (one bar per x, narrowing). Written as
 * {@code chart: line x=day y=visitors,sessions} or {@code chart: none}; a report may have several.
 */
public record ChartSpec(Kind kind, String x, List<String> y, Optional<String> series) {
  /** The chart types the HTML page can draw. */
  public enum Kind { NONE, LINE, BAR, HEATMAP, FUNNEL }

  public static final ChartSpec NONE = new ChartSpec(Kind.NONE, "", List.of(), Optional.empty());

  /** Parses the {@code chart:} header value. */
  public static ChartSpec parse(String text) {
    String[] words = text.trim().split("\\s+");
    Kind kind = switch (words[0]) {
      case "none" -> Kind.NONE;
      case "line" -> Kind.LINE;
      case "bar" -> Kind.BAR;
      case "heatmap" -> Kind.HEATMAP;
      case "funnel" -> Kind.FUNNEL;
      default -> throw new IllegalArgumentException("chart type '" + words[0]
          + "' is not one of none, line, bar, heatmap, funnel");
    };
    if (kind == Kind.NONE) {
      return NONE;
    }
    String x = null;
    List<String> y = new ArrayList<>();
    String series = null;
    for (int i = 1; i < words.length; i++) {
      String[] kv = words[i].split("=", 2);
      if (kv.length != 2 || kv[1].isEmpty()) {
        throw new IllegalArgumentException("chart option '" + words[i] + "' must be key=value (x=, y=, series=)");
      }
      switch (kv[0]) {
        case "x" -> x = kv[1];
        case "y" -> y.addAll(List.of(kv[1].split(",")));
        case "series" -> series = kv[1];
        default -> throw new IllegalArgumentException("unknown chart option '" + kv[0] + "' (x, y, series)");
      }
    }
    if (x == null || y.isEmpty()) {
      throw new IllegalArgumentException("chart '" + text + "' needs x=<column> and y=<column>[,<column>...]");
    }
    if (series != null && y.size() != 1) {
      throw new IllegalArgumentException("chart with series= takes exactly one y column");
    }
    if (kind == Kind.HEATMAP && (series == null || y.size() != 1)) {
      throw new IllegalArgumentException("a heatmap needs x=<column> y=<one column> series=<row column>");
    }
    if (kind == Kind.FUNNEL && y.size() != 1) {
      throw new IllegalArgumentException("a funnel takes exactly one y column (the count at each step)");
    }
    return new ChartSpec(kind, x, List.copyOf(y), Optional.ofNullable(series));
  }

  /** The columns the chart reads, to check against the result. */
  public List<String> columns() {
    List<String> c = new ArrayList<>();
    if (kind != Kind.NONE) {
      c.add(x);
      c.addAll(y);
      series.ifPresent(c::add);
    }
    return c;
  }
}
