package dev.lode.console.view;

import java.util.List;
import java.util.Locale;

/**
 * A small inline SVG line chart of one series over evenly spaced points, with its first and
 * last label and its maximum written on it: drawn on the server, so a page needs no script.
 */
public final class TimeSeriesSvg {
  private static final int WIDTH = 360;
  private static final int HEIGHT = 80;

  private TimeSeriesSvg() {
  }

  /** The chart of {@code values}, labelled {@code firstLabel} … {@code lastLabel}; {@code title} names it for screen readers. */
  public static String of(String title, List<? extends Number> values, String firstLabel, String lastLabel) {
    StringBuilder b = new StringBuilder(1024);
    b.append("<svg class=\"spark\" role=\"img\" viewBox=\"0 0 ").append(WIDTH).append(' ').append(HEIGHT + 14)
        .append("\" width=\"").append(WIDTH).append("\" height=\"").append(HEIGHT + 14).append("\"><title>")
        .append(dev.lode.report.HtmlOutput.escape(title)).append("</title>");
    double max = 0;
    for (Number v : values) {
      max = Math.max(max, v.doubleValue());
    }
    b.append("<line x1=\"0\" y1=\"").append(HEIGHT).append("\" x2=\"").append(WIDTH).append("\" y2=\"").append(HEIGHT)
        .append("\" stroke=\"#bbb\"/>");
    if (!values.isEmpty()) {
      StringBuilder points = new StringBuilder();
      int n = values.size();
      for (int i = 0; i < n; i++) {
        double x = n == 1 ? WIDTH / 2.0 : i * (WIDTH - 2.0) / (n - 1) + 1;
        double y = max == 0 ? HEIGHT - 1 : HEIGHT - 1 - values.get(i).doubleValue() / max * (HEIGHT - 12);
        points.append(String.format(Locale.ROOT, "%.1f,%.1f ", x, y));
      }
      b.append("<polyline fill=\"none\" stroke=\"#2a6fdb\" stroke-width=\"1.5\" points=\"").append(points.toString().trim())
          .append("\"/>");
    }
    b.append("<text x=\"2\" y=\"10\" font-size=\"10\" fill=\"#555\">max ").append(dev.lode.report.HtmlOutput.escape(number(max)))
        .append("</text>");
    b.append("<text x=\"0\" y=\"").append(HEIGHT + 12).append("\" font-size=\"10\" fill=\"#555\">")
        .append(dev.lode.report.HtmlOutput.escape(firstLabel)).append("</text>");
    b.append("<text x=\"").append(WIDTH).append("\" y=\"").append(HEIGHT + 12)
        .append("\" font-size=\"10\" fill=\"#555\" text-anchor=\"end\">").append(dev.lode.report.HtmlOutput.escape(lastLabel)).append("</text>");
    return b.append("</svg>").toString();
  }

  static String number(double v) {
    return v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v) : String.format(Locale.ROOT, "%.4g", v);
  }
}
