package dev.lode.console.view;

import java.util.List;
import java.util.Locale;

/** A small inline SVG bar chart of labelled values (the playground's quick chart), longest bar = the maximum. */
public final class BarChartSvg {
  private static final int WIDTH = 480;
  private static final int BAR = 16;
  private static final int LABEL = 140;
  /** Bars drawn at most; the rest of a long result stays in the table. */
  public static final int MAX_BARS = 30;

  private BarChartSvg() {
  }

  /** The chart of {@code values} named by {@code labels} (same length). */
  public static String of(String title, List<String> labels, List<? extends Number> values) {
    int n = Math.min(MAX_BARS, Math.min(labels.size(), values.size()));
    double max = 0;
    for (int i = 0; i < n; i++) {
      max = Math.max(max, Math.abs(values.get(i).doubleValue()));
    }
    int height = n * (BAR + 4) + 4;
    StringBuilder b = new StringBuilder(256 + n * 200);
    b.append("<svg class=\"bars\" role=\"img\" viewBox=\"0 0 ").append(WIDTH).append(' ').append(height)
        .append("\" width=\"").append(WIDTH).append("\" height=\"").append(height).append("\"><title>")
        .append(dev.lode.report.HtmlOutput.escape(title)).append("</title>");
    for (int i = 0; i < n; i++) {
      double v = values.get(i).doubleValue();
      double w = max == 0 ? 0 : Math.abs(v) / max * (WIDTH - LABEL - 70);
      int y = 4 + i * (BAR + 4);
      String label = labels.get(i) == null ? "NULL" : labels.get(i);
      if (label.length() > 22) {
        label = label.substring(0, 21) + "…";
      }
      b.append("<text x=\"").append(LABEL - 4).append("\" y=\"").append(y + 12)
          .append("\" font-size=\"11\" text-anchor=\"end\">").append(dev.lode.report.HtmlOutput.escape(label)).append("</text>");
      b.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%d\" width=\"%.1f\" height=\"%d\" fill=\"%s\"/>", LABEL, y,
          w, BAR, v < 0 ? "#d9534f" : "#2a6fdb"));
      b.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%d\" font-size=\"11\">", LABEL + w + 4, y + 12))
          .append(dev.lode.report.HtmlOutput.escape(TimeSeriesSvg.number(v))).append("</text>");
    }
    return b.append("</svg>").toString();
  }
}
