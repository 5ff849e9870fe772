package dev.lode.report;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Draws a report result as an inline SVG line or bar chart (axes, gridlines, legend), so
 * the HTML page needs no script or external resource to show it.
 */
final class SvgChart {
  /** Series colours, in order; tests look for the first one in a screenshot. */
  static final String[] PALETTE = {"#1f6fd1", "#e8590c", "#2b8a3e", "#c2255c", "#7048e8", "#0c8599", "#e67700", "#495057",
      "#74b816", "#f783ac", "#364fc7", "#a9e34b", "#862e9c", "#66d9e8", "#8d6e63", "#ffd43b"};

  private static final int WIDTH = 960;
  private static final int HEIGHT = 380;
  private static final int LEFT = 70;
  private static final int RIGHT = 20;
  private static final int TOP = 20;
  private static final int BOTTOM = 80;

  private SvgChart() {
  }

  /** One named line or bar group: a value per x category (NaN = no point). */
  private record Series(String name, double[] values) {
  }

  static String render(ReportResult r) {
    ChartSpec spec = r.report().chart();
    if (spec.kind() == ChartSpec.Kind.NONE || r.rows().isEmpty()) {
      return "";
    }
    int xi = r.indexOf(spec.x());
    List<String> categories = new ArrayList<>();
    Map<String, Integer> catIndex = new LinkedHashMap<>();
    for (Object[] row : r.rows()) {
      String c = ReportResult.text(row[xi]);
      if (!catIndex.containsKey(c)) {
        catIndex.put(c, categories.size());
        categories.add(c);
      }
    }
    List<Series> series = new ArrayList<>();
    if (spec.series().isPresent()) {
      int si = r.indexOf(spec.series().get());
      int yi = r.indexOf(spec.y().get(0));
      Map<String, double[]> bySeries = new LinkedHashMap<>();
      for (Object[] row : r.rows()) {
        double[] v = bySeries.computeIfAbsent(ReportResult.text(row[si]), k -> nans(categories.size()));
        v[catIndex.get(ReportResult.text(row[xi]))] = ReportResult.number(row[yi]);
      }
      bySeries.forEach((k, v) -> series.add(new Series(k, v)));
    } else {
      for (String y : spec.y()) {
        int yi = r.indexOf(y);
        double[] v = nans(categories.size());
        for (Object[] row : r.rows()) {
          v[catIndex.get(ReportResult.text(row[xi]))] = ReportResult.number(row[yi]);
        }
        series.add(new Series(y, v));
      }
    }
    double max = 0;
    double min = 0;
    for (Series s : series) {
      for (double d : s.values()) {
        if (!Double.isNaN(d)) {
          max = Math.max(max, d);
          min = Math.min(min, d);
        }
      }
    }
    double[] ticks = ticks(min, max);
    double lo = ticks[0];
    double hi = ticks[ticks.length - 1];
    int plotW = WIDTH - LEFT - RIGHT;
    int plotH = HEIGHT - TOP - BOTTOM;
    int legendH = 22 * ((series.size() + 3) / 4);
    StringBuilder svg = new StringBuilder();
    svg.append(String.format(Locale.ROOT,
        "<svg class=\"chart\" width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\""
            + " role=\"img\" aria-label=\"%s chart of %s\">%n",
        WIDTH, HEIGHT + legendH, WIDTH, HEIGHT + legendH, spec.kind().name().toLowerCase(Locale.ROOT),
        HtmlOutput.escape(String.join(", ", spec.y()))));
    svg.append("<rect x=\"0\" y=\"0\" width=\"100%\" height=\"100%\" fill=\"#ffffff\"/>\n");
    for (double t : ticks) {
      double y = TOP + plotH - (t - lo) / (hi - lo) * plotH;
      svg.append(String.format(Locale.ROOT,
          "<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" stroke=\"#dee2e6\" stroke-width=\"1\"/>"
              + "<text x=\"%d\" y=\"%.1f\" font-size=\"12\" text-anchor=\"end\" fill=\"#495057\">%s</text>%n",
          LEFT, y, LEFT + plotW, y, LEFT - 6, y + 4, label(t)));
    }
    int n = categories.size();
    double step = (double) plotW / n;
    int labelEvery = Math.max(1, (int) Math.ceil(n / 16.0));
    for (int i = 0; i < n; i += labelEvery) {
      double x = LEFT + step * (i + 0.5);
      svg.append(String.format(Locale.ROOT,
          "<text x=\"%.1f\" y=\"%d\" font-size=\"11\" text-anchor=\"end\" fill=\"#495057\""
              + " transform=\"rotate(-35 %.1f %d)\">%s</text>%n",
          x, TOP + plotH + 16, x, TOP + plotH + 16, HtmlOutput.escape(shorten(categories.get(i)))));
    }
    double zeroY = TOP + plotH - (0 - lo) / (hi - lo) * plotH;
    if (spec.kind() == ChartSpec.Kind.BAR) {
      double groupW = step * 0.8;
      double barW = groupW / series.size();
      for (int s = 0; s < series.size(); s++) {
        double[] v = series.get(s).values();
        for (int i = 0; i < n; i++) {
          if (Double.isNaN(v[i])) {
            continue;
          }
          double y = TOP + plotH - (v[i] - lo) / (hi - lo) * plotH;
          double x = LEFT + step * i + step * 0.1 + barW * s;
          svg.append(String.format(Locale.ROOT,
              "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"%s\"><title>%s: %s</title></rect>%n",
              x, Math.min(y, zeroY), Math.max(barW - 1, 1), Math.max(Math.abs(zeroY - y), 1),
              PALETTE[s % PALETTE.length], HtmlOutput.escape(series.get(s).name()), label(v[i])));
        }
      }
    } else {
      for (int s = 0; s < series.size(); s++) {
        double[] v = series.get(s).values();
        StringBuilder points = new StringBuilder();
        StringBuilder dots = new StringBuilder();
        for (int i = 0; i < n; i++) {
          if (Double.isNaN(v[i])) {
            continue;
          }
          double x = LEFT + step * (i + 0.5);
          double y = TOP + plotH - (v[i] - lo) / (hi - lo) * plotH;
          points.append(String.format(Locale.ROOT, "%.1f,%.1f ", x, y));
          dots.append(String.format(Locale.ROOT, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"3.5\" fill=\"%s\"><title>%s: %s</title></circle>",
              x, y, PALETTE[s % PALETTE.length], HtmlOutput.escape(series.get(s).name()), label(v[i])));
        }
        svg.append(String.format(Locale.ROOT,
            "<polyline points=\"%s\" fill=\"none\" stroke=\"%s\" stroke-width=\"3\"/>%s%n",
            points.toString().strip(), PALETTE[s % PALETTE.length], dots));
      }
    }
    svg.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" stroke=\"#343a40\"/>%n",
        LEFT, zeroY, LEFT + plotW, zeroY));
    for (int s = 0; s < series.size(); s++) {
      int x = LEFT + (s % 4) * 220;
      int y = HEIGHT + 22 * (s / 4) + 4;
      svg.append(String.format(Locale.ROOT,
          "<rect x=\"%d\" y=\"%d\" width=\"14\" height=\"14\" fill=\"%s\"/>"
              + "<text x=\"%d\" y=\"%d\" font-size=\"13\" fill=\"#212529\">%s</text>%n",
          x, y, PALETTE[s % PALETTE.length], x + 20, y + 12, HtmlOutput.escape(shorten(series.get(s).name()))));
    }
    svg.append("</svg>\n");
    return svg.toString();
  }

  private static double[] nans(int n) {
    double[] d = new double[n];
    java.util.Arrays.fill(d, Double.NaN);
    return d;
  }

  /** Round gridline values covering [min, max] (a 1-2-5 step), at least 0..1. */
  static double[] ticks(double min, double max) {
    if (max <= min) {
      max = min + 1;
    }
    double raw = (max - min) / 5;
    double mag = Math.pow(10, Math.floor(Math.log10(raw)));
    double step = raw / mag <= 1 ? mag : raw / mag <= 2 ? 2 * mag : raw / mag <= 5 ? 5 * mag : 10 * mag;
    double lo = Math.floor(min / step) * step;
    double hi = Math.ceil(max / step) * step;
    int n = (int) Math.round((hi - lo) / step) + 1;
    double[] t = new double[n];
    for (int i = 0; i < n; i++) {
      t[i] = lo + i * step;
    }
    return t;
  }

  private static String label(double v) {
    if (v == Math.rint(v) && Math.abs(v) < 1e15) {
      return String.format(Locale.ROOT, "%,d", (long) v);
    }
    return String.format(Locale.ROOT, "%,.2f", v);
  }

  private static String shorten(String s) {
    return s.length() > 28 ? s.substring(0, 27) + "…" : s;
  }
}
