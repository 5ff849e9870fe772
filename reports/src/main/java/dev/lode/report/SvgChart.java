package dev.lode.report;

import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Draws one chart of a report as inline SVG — line, bar, heatmap (a cohort triangle) or funnel — with
 * axis titles in the report's labels and values in its formats. The SVG scales to the page width
 * (viewBox), so the HTML page needs no script or external resource and fits a phone.
 */
final class SvgChart {
  /** Series colours, in order; tests look for them in a screenshot. */
  static final String[] PALETTE = {"#1f6fd1", "#e8590c", "#2b8a3e", "#c2255c", "#7048e8", "#0c8599", "#e67700", "#495057",
      "#74b816", "#f783ac", "#364fc7", "#a9e34b", "#862e9c", "#66d9e8", "#8d6e63", "#ffd43b"};

  private static final int WIDTH = 600;
  private static final int HEIGHT = 300;
  private static final int LEFT = 84;
  private static final int RIGHT = 16;
  private static final int TOP = 16;
  private static final int BOTTOM = 70;
  private static final DateTimeFormatter SHORT_DAY = DateTimeFormatter.ofPattern("d MMM", Locale.ENGLISH);

  private SvgChart() {
  }

  /** One named line or bar group: a value per x category (NaN = no point). */
  private record Series(String name, double[] values) {
  }

  /** The chart's title: what it shows, in the report's labels. */
  static String title(ReportDocument doc, ChartSpec spec) {
    ReportDefinition d = doc.report();
    List<String> ys = spec.y().stream().map(d::label).toList();
    String what = String.join(" and ", ys);
    return switch (spec.kind()) {
      case HEATMAP -> what + " by " + d.label(spec.series().orElseThrow()).toLowerCase(Locale.ROOT) + " and "
          + d.label(spec.x()).toLowerCase(Locale.ROOT);
      case FUNNEL -> what + " at each " + d.label(spec.x()).toLowerCase(Locale.ROOT);
      default -> what + (spec.series().isPresent() ? " by " + d.label(spec.series().get()).toLowerCase(Locale.ROOT) : "")
          + " per " + d.label(spec.x()).toLowerCase(Locale.ROOT);
    };
  }

  /** The chart as SVG; {@code colourOffset} is the palette index of its first series. */
  static String render(ReportDocument doc, ChartSpec spec, int colourOffset) {
    ReportResult r = doc.result();
    if (spec.kind() == ChartSpec.Kind.NONE || r.rows().isEmpty()) {
      return "";
    }
    return switch (spec.kind()) {
      case HEATMAP -> heatmap(doc, spec);
      case FUNNEL -> funnel(doc, spec, colourOffset);
      default -> xy(doc, spec, colourOffset);
    };
  }

  /** The number of series a chart draws (for the next chart's colours). */
  static int seriesCount(ReportDocument doc, ChartSpec spec) {
    if (spec.series().isPresent() && spec.kind() != ChartSpec.Kind.HEATMAP) {
      int si = doc.result().indexOf(spec.series().get());
      return (int) doc.result().rows().stream().map(row -> ReportResult.text(row[si])).distinct().count();
    }
    return spec.kind() == ChartSpec.Kind.HEATMAP ? 0 : spec.y().size();
  }

  private static String open(int height, String aria) {
    return String.format(Locale.ROOT,
        "<svg class=\"chart\" viewBox=\"0 0 %d %d\" width=\"100%%\" preserveAspectRatio=\"xMinYMin meet\""
            + " role=\"img\" aria-label=\"%s\">%n<rect x=\"0\" y=\"0\" width=\"100%%\" height=\"100%%\" fill=\"#ffffff\"/>%n",
        WIDTH, height, HtmlOutput.escape(aria));
  }

  private static String xy(ReportDocument doc, ChartSpec spec, int colourOffset) {
    ReportResult r = doc.result();
    ReportDefinition d = doc.report();
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
      ColumnFormat sf = doc.format(spec.series().get());
      Map<String, double[]> bySeries = new LinkedHashMap<>();
      for (Object[] row : r.rows()) {
        double[] v = bySeries.computeIfAbsent(sf.format(row[si], doc.currency()), k -> nans(categories.size()));
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
        series.add(new Series(d.label(y), v));
      }
    }
    ColumnFormat yf = doc.format(spec.y().get(0));
    ColumnFormat xf = doc.format(spec.x());
    double max = 0;
    double min = 0;
    for (Series s : series) {
      for (double v : s.values()) {
        if (!Double.isNaN(v)) {
          max = Math.max(max, v);
          min = Math.min(min, v);
        }
      }
    }
    double[] ticks = ticks(min, max);
    double lo = ticks[0];
    double hi = ticks[ticks.length - 1];
    // names along the x axis (campaigns, checks, tags) are slanted so that they do not run into each other
    boolean slant = !xf.numeric() && xf != ColumnFormat.DATE && categories.size() > 3;
    int plotW = WIDTH - LEFT - RIGHT;
    int plotH = HEIGHT - TOP - BOTTOM - (slant ? 60 : 0);
    boolean legend = series.size() > 1;
    int legendH = legend ? 22 * ((series.size() + 2) / 3) : 0;
    StringBuilder svg = new StringBuilder(open(HEIGHT + legendH, title(doc, spec)));
    for (double t : ticks) {
      double y = TOP + plotH - (t - lo) / (hi - lo) * plotH;
      svg.append(String.format(Locale.ROOT,
          "<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" stroke=\"#dee2e6\" stroke-width=\"1\"/>"
              + "<text x=\"%d\" y=\"%.1f\" font-size=\"13\" text-anchor=\"end\" fill=\"#495057\">%s</text>%n",
          LEFT, y, LEFT + plotW, y, LEFT - 6, y + 4, HtmlOutput.escape(tick(t, yf, doc))));
    }
    int n = categories.size();
    double step = (double) plotW / n;
    int labelEvery = Math.max(1, (int) Math.ceil(n / 10.0));
    for (int i = 0; i < n; i += labelEvery) {
      double x = LEFT + step * (i + 0.5);
      String text = HtmlOutput.escape(shorten(category(categories.get(i), xf, doc)));
      if (slant) {
        svg.append(String.format(Locale.ROOT,
            "<text x=\"%.1f\" y=\"%d\" font-size=\"12\" text-anchor=\"end\" fill=\"#495057\""
                + " transform=\"rotate(-35 %.1f %d)\">%s</text>%n", x, TOP + plotH + 14, x, TOP + plotH + 14, text));
      } else {
        svg.append(String.format(Locale.ROOT,
            "<text x=\"%.1f\" y=\"%d\" font-size=\"13\" text-anchor=\"middle\" fill=\"#495057\">%s</text>%n",
            x, TOP + plotH + 18, text));
      }
    }
    // axis titles: the measure up the left side, the x column under the labels
    svg.append(String.format(Locale.ROOT,
        "<text x=\"14\" y=\"%d\" font-size=\"13\" font-weight=\"600\" text-anchor=\"middle\" fill=\"#343a40\""
            + " transform=\"rotate(-90 14 %d)\" class=\"axis-title\">%s</text>%n",
        TOP + plotH / 2, TOP + plotH / 2, HtmlOutput.escape(yAxisTitle(doc, spec))));
    svg.append(String.format(Locale.ROOT,
        "<text x=\"%d\" y=\"%d\" font-size=\"13\" font-weight=\"600\" text-anchor=\"middle\" fill=\"#343a40\""
            + " class=\"axis-title\">%s</text>%n",
        LEFT + plotW / 2, TOP + plotH + (slant ? 104 : 44), HtmlOutput.escape(d.label(spec.x()))));
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
              "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"%s\"><title>%s, %s: %s</title></rect>%n",
              x, Math.min(y, zeroY), Math.max(barW - 1, 1), Math.max(Math.abs(zeroY - y), 1),
              colour(colourOffset + s), HtmlOutput.escape(series.get(s).name()),
              HtmlOutput.escape(category(categories.get(i), xf, doc)), HtmlOutput.escape(yf.format(v[i], doc.currency()))));
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
          dots.append(String.format(Locale.ROOT, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"4\" fill=\"%s\"><title>%s, %s: %s</title></circle>",
              x, y, colour(colourOffset + s), HtmlOutput.escape(series.get(s).name()),
              HtmlOutput.escape(category(categories.get(i), xf, doc)), HtmlOutput.escape(yf.format(v[i], doc.currency()))));
        }
        svg.append(String.format(Locale.ROOT,
            "<polyline points=\"%s\" fill=\"none\" stroke=\"%s\" stroke-width=\"3\"/>%s%n",
            points.toString().strip(), colour(colourOffset + s), dots));
      }
    }
    svg.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" stroke=\"#343a40\"/>%n",
        LEFT, zeroY, LEFT + plotW, zeroY));
    if (legend) {
      for (int s = 0; s < series.size(); s++) {
        int x = LEFT + (s % 3) * 210;
        int y = HEIGHT + 22 * (s / 3) + 2;
        svg.append(String.format(Locale.ROOT,
            "<rect x=\"%d\" y=\"%d\" width=\"14\" height=\"14\" fill=\"%s\"/>"
                + "<text x=\"%d\" y=\"%d\" font-size=\"13\" fill=\"#212529\">%s</text>%n",
            x, y, colour(colourOffset + s), x + 20, y + 12, HtmlOutput.escape(shorten(series.get(s).name()))));
      }
    }
    svg.append("</svg>\n");
    return svg.toString();
  }

  /** Rows = series values (cohorts), columns = x values (months since), cells shaded by the value. */
  private static String heatmap(ReportDocument doc, ChartSpec spec) {
    ReportResult r = doc.result();
    ReportDefinition d = doc.report();
    int xi = r.indexOf(spec.x());
    int yi = r.indexOf(spec.y().get(0));
    int si = r.indexOf(spec.series().orElseThrow());
    ColumnFormat vf = doc.format(spec.y().get(0));
    ColumnFormat sf = doc.format(spec.series().get());
    List<String> xs = new ArrayList<>();
    List<String> rowsKeys = new ArrayList<>();
    Map<String, Object> rowLabelValue = new LinkedHashMap<>();
    Map<String, Double> cells = new LinkedHashMap<>();
    double max = 0;
    for (Object[] row : r.rows()) {
      String x = ReportResult.text(row[xi]);
      String s = ReportResult.text(row[si]);
      if (!xs.contains(x)) {
        xs.add(x);
      }
      if (!rowsKeys.contains(s)) {
        rowsKeys.add(s);
        rowLabelValue.put(s, row[si]);
      }
      double v = ReportResult.number(row[yi]);
      cells.put(s + "\u0000" + x, v);
      // offset 0 is 100% by construction; shade the later months against their own maximum
      if (!Double.isNaN(v) && xs.indexOf(x) > 0) {
        max = Math.max(max, v);
      }
    }
    int left = 84;
    int top = 44;
    // narrow cells keep the numbers legible when a phone scales the chart down
    int cellW = 54;
    int cellH = 30;
    int width = Math.max(360, left + cellW * xs.size() + 8);
    int height = top + cellH * rowsKeys.size() + 8;
    StringBuilder svg = new StringBuilder(String.format(Locale.ROOT,
        "<svg class=\"chart heatmap\" viewBox=\"0 0 %d %d\" width=\"100%%\" style=\"max-width:%dpx\""
            + " preserveAspectRatio=\"xMinYMin meet\" role=\"img\" aria-label=\"%s\">%n",
        width, height, width * 3 / 2, HtmlOutput.escape(title(doc, spec))));
    svg.append(String.format(Locale.ROOT,
        "<text x=\"%d\" y=\"14\" font-size=\"13\" font-weight=\"600\" fill=\"#343a40\" class=\"axis-title\">%s</text>%n",
        left, HtmlOutput.escape(d.label(spec.x()))));
    svg.append(String.format(Locale.ROOT,
        "<text x=\"4\" y=\"34\" font-size=\"13\" font-weight=\"600\" fill=\"#343a40\" class=\"axis-title\">%s</text>%n",
        HtmlOutput.escape(d.label(spec.series().get()))));
    for (int c = 0; c < xs.size(); c++) {
      svg.append(String.format(Locale.ROOT,
          "<text x=\"%d\" y=\"34\" font-size=\"13\" text-anchor=\"middle\" fill=\"#495057\">%s</text>%n",
          left + cellW * c + cellW / 2, HtmlOutput.escape(xs.get(c))));
    }
    for (int rr = 0; rr < rowsKeys.size(); rr++) {
      String key = rowsKeys.get(rr);
      int y = top + cellH * rr;
      svg.append(String.format(Locale.ROOT,
          "<text x=\"4\" y=\"%d\" font-size=\"13\" fill=\"#212529\">%s</text>%n", y + 20,
          HtmlOutput.escape(sf.format(rowLabelValue.get(key), doc.currency()))));
      for (int c = 0; c < xs.size(); c++) {
        Double v = cells.get(key + "\u0000" + xs.get(c));
        if (v == null || v.isNaN()) {
          continue;
        }
        double share = c == 0 || max == 0 ? 1 : Math.min(1, v / max);
        String fill = shade(share);
        svg.append(String.format(Locale.ROOT,
            "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"%s\" stroke=\"#ffffff\"><title>%s, %s %s: %s</title></rect>"
                + "<text x=\"%d\" y=\"%d\" font-size=\"12\" text-anchor=\"middle\" fill=\"%s\">%s</text>%n",
            left + cellW * c, y, cellW, cellH, fill, HtmlOutput.escape(sf.format(rowLabelValue.get(key), doc.currency())),
            HtmlOutput.escape(d.label(spec.x())), HtmlOutput.escape(xs.get(c)),
            HtmlOutput.escape(vf.format(v, doc.currency())), left + cellW * c + cellW / 2, y + 20,
            share > 0.55 ? "#ffffff" : "#212529", HtmlOutput.escape(vf.format(v, doc.currency()))));
      }
    }
    svg.append("</svg>\n");
    return svg.toString();
  }

  /** One bar per step, as wide as its count against the first step, with the count and the share of the first. */
  private static String funnel(ReportDocument doc, ChartSpec spec, int colourOffset) {
    ReportResult r = doc.result();
    int xi = r.indexOf(spec.x());
    int yi = r.indexOf(spec.y().get(0));
    ColumnFormat xf = doc.format(spec.x());
    ColumnFormat yf = doc.format(spec.y().get(0));
    double first = r.rows().isEmpty() ? 0 : ReportResult.number(r.rows().getFirst()[yi]);
    double max = 0;
    for (Object[] row : r.rows()) {
      max = Math.max(max, ReportResult.number(row[yi]));
    }
    int barH = 30;
    int rowH = 22 + barH + 10;
    int height = 8 + rowH * r.rows().size();
    StringBuilder svg = new StringBuilder(open(height, title(doc, spec)));
    int y = 8;
    for (Object[] row : r.rows()) {
      double v = ReportResult.number(row[yi]);
      double w = max == 0 ? 2 : Math.max(2, (WIDTH - 16) * v / max);
      double x = (WIDTH - w) / 2;
      String share = first > 0 ? " (" + ColumnFormat.PERCENT.format(100 * v / first, doc.currency()) + ")" : "";
      String text = xf.format(row[xi], doc.currency()) + ": " + yf.format(row[yi], doc.currency()) + share;
      svg.append(String.format(Locale.ROOT,
          "<text x=\"%d\" y=\"%d\" font-size=\"15\" text-anchor=\"middle\" fill=\"#212529\">%s</text>"
              + "<rect x=\"%.1f\" y=\"%d\" width=\"%.1f\" height=\"%d\" rx=\"4\" fill=\"%s\"><title>%s</title></rect>%n",
          WIDTH / 2, y + 16, HtmlOutput.escape(text), x, y + 22, w, barH, colour(colourOffset), HtmlOutput.escape(text)));
      y += rowH;
    }
    svg.append("</svg>\n");
    return svg.toString();
  }

  /** The measure's label; for several measures on one axis (same unit, told apart by the legend) the unit. */
  private static String yAxisTitle(ReportDocument doc, ChartSpec spec) {
    if (spec.y().size() == 1) {
      return doc.report().label(spec.y().getFirst());
    }
    return switch (doc.format(spec.y().getFirst())) {
      case PERCENT -> "Percent";
      case CURRENCY -> "Amount (" + doc.currency().getCurrencyCode() + ")";
      default -> "Count";
    };
  }

  private static String colour(int i) {
    return PALETTE[i % PALETTE.length];
  }

  /** Blue shades from pale (0) to the first palette colour (1). */
  private static String shade(double share) {
    int r = (int) Math.round(231 + (31 - 231) * share);
    int g = (int) Math.round(240 + (111 - 240) * share);
    int b = (int) Math.round(252 + (209 - 252) * share);
    return String.format(Locale.ROOT, "#%02x%02x%02x", r, g, b);
  }

  private static String category(String raw, ColumnFormat f, ReportDocument doc) {
    if (f == ColumnFormat.DATE) {
      try {
        return LocalDate.parse(raw.length() > 10 ? raw.substring(0, 10) : raw).format(SHORT_DAY);
      } catch (java.time.format.DateTimeParseException e) {
        return raw;
      }
    }
    return f.numeric() ? raw : f.format(raw, doc.currency());
  }

  private static String tick(double t, ColumnFormat f, ReportDocument doc) {
    if (f == ColumnFormat.CURRENCY) {
      return ColumnFormat.CURRENCY.format(t, doc.currency()).replaceAll("\\.00$", "");
    }
    if (f == ColumnFormat.PERCENT) {
      return String.format(Locale.UK, t == Math.rint(t) ? "%.0f%%" : "%.1f%%", t);
    }
    return label(t);
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
      return String.format(Locale.UK, "%,d", (long) v);
    }
    return String.format(Locale.UK, "%,.2f", v);
  }

  private static String shorten(String s) {
    return s.length() > 20 ? s.substring(0, 19) + "…" : s;
  }
}
