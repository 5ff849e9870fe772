package dev.lode.report;

import java.io.IOException;
import java.io.Writer;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Writes a report run as one self-contained HTML page laid out for a manager: title and period,
 * the headline figures with their change against the previous period, the charts, then the table
 * in the report's labels and formats. No script, no external stylesheet, font or image, so it
 * renders the same from a mail attachment or a file share; it fits a phone (charts scale, the table
 * scrolls inside its box) and prints on A4.
 */
public final class HtmlOutput {
  private static final int MAX_TABLE_ROWS = 5_000;
  private static final DateTimeFormatter RAN = DateTimeFormatter.ofPattern("d MMM yyyy HH:mm 'UTC'", Locale.ENGLISH)
      .withZone(ZoneOffset.UTC);
  static final String STYLE = "*{box-sizing:border-box}"
      + "body{font-family:system-ui,-apple-system,'Segoe UI',Roboto,sans-serif;margin:0 auto;padding:20px;max-width:1100px;"
      + "color:#212529;line-height:1.4}"
      + "h1{font-size:24px;margin:0 0 4px}h2{font-size:17px;margin:24px 0 8px}"
      + "p.period{font-size:16px;margin:0 0 6px;color:#343a40}p.desc{color:#495057;font-size:14px;margin:6px 0}"
      + "dl.params{display:flex;flex-wrap:wrap;gap:4px 18px;font-size:13px;color:#6c757d;margin:6px 0 14px}"
      + "dl.params div{display:flex;gap:4px}dl.params dt{font-weight:600}dl.params dd{margin:0}"
      + ".headline{display:grid;grid-template-columns:repeat(auto-fit,minmax(150px,1fr));gap:10px;margin:14px 0}"
      + ".kpi{border:1px solid #dee2e6;border-radius:8px;padding:10px 12px;background:#f8f9fa;min-width:0}"
      + ".kpi .label{font-size:13px;color:#495057}.kpi .value{font-size:24px;font-weight:700;overflow-wrap:anywhere}"
      + ".kpi .change{font-size:13px;color:#6c757d}.kpi .good{color:#2b8a3e}.kpi .bad{color:#c92a2a}"
      + ".nodata{border:1px dashed #adb5bd;border-radius:8px;padding:18px;margin:14px 0;font-size:16px;color:#495057;"
      + "background:#f8f9fa}"
      + ".charts{display:grid;grid-template-columns:repeat(auto-fit,minmax(min(100%,480px),1fr));gap:16px}"
      + "figure{margin:0;min-width:0}figcaption{font-size:14px;font-weight:600;margin:0 0 4px}"
      + "svg.chart{display:block;width:100%;height:auto;max-width:min(100%,760px)}"
      + ".scroll{overflow-x:auto;max-width:100%;border:1px solid #dee2e6;border-radius:6px}"
      + "table{border-collapse:collapse;font-size:13px;width:100%}"
      + "th,td{border-bottom:1px solid #dee2e6;padding:5px 10px;white-space:nowrap}"
      + "th{background:#f1f3f5;text-align:left;position:sticky;top:0}"
      + "td.n,th.n{text-align:right;font-variant-numeric:tabular-nums}"
      + "p.meta{color:#868e96;font-size:12px;margin:18px 0 0}"
      + "@media (max-width:600px){body{padding:12px}h1{font-size:20px}.kpi .value{font-size:20px}}"
      + "@media print{@page{size:A4;margin:14mm}body{max-width:none;padding:0}.scroll{overflow:visible;border:0}"
      + "th{position:static}figure,.kpi,tr{break-inside:avoid}.charts{display:block}figure{margin-bottom:12px}}";

  private HtmlOutput() {
  }

  static void write(ReportResult r, Instant ranAt, Writer out) throws IOException {
    write(ReportDocument.of(r), ranAt, out);
  }

  static void write(ReportDocument doc, Instant ranAt, Writer out) throws IOException {
    ReportDefinition d = doc.report();
    ReportResult r = doc.result();
    out.write("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n");
    out.write("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n");
    out.write("<title>" + escape(d.title()) + " · " + escape(doc.period()) + "</title>\n");
    out.write("<style>" + STYLE + "</style>\n</head><body>\n");
    out.write("<header>\n<h1>" + escape(d.title()) + "</h1>\n");
    out.write("<p class=\"period\">" + escape(doc.period()) + doc.previousPeriod()
        .map(p -> " <span class=\"vs\">· compared with " + escape(p) + "</span>").orElse("") + "</p>\n");
    out.write(parameters(d, r.parameters()));
    out.write("</header>\n");
    out.write(headline(doc));
    if (!doc.hasData()) {
      out.write("<div class=\"nodata\" role=\"status\">No data for " + escape(doc.period())
          + ". Nothing was recorded in this period; choose another period or check that the data has been loaded.</div>\n");
    } else {
      if (!d.charts().isEmpty()) {
        out.write("<section class=\"charts\">\n");
        int colours = 0;
        for (ChartSpec c : d.charts()) {
          out.write("<figure><figcaption>" + escape(SvgChart.title(doc, c)) + "</figcaption>\n");
          out.write(SvgChart.render(doc, c, colours));
          out.write("</figure>\n");
          colours += SvgChart.seriesCount(doc, c);
        }
        out.write("</section>\n");
      }
      out.write(table(doc));
    }
    if (!d.description().isEmpty()) {
      out.write("<h2>About this report</h2>\n<p class=\"desc\">" + escape(d.description()) + "</p>\n");
    }
    out.write("<p class=\"meta\">Report " + escape(d.name()) + " · run " + escape(RAN.format(ranAt)) + " · "
        + r.rows().size() + (r.rows().size() == 1 ? " row" : " rows") + "</p>\n");
    out.write("</body></html>\n");
  }

  /** The parameters in declared order, under their names in words. */
  private static String parameters(ReportDefinition d, Map<String, String> values) {
    if (values.isEmpty()) {
      return "";
    }
    StringBuilder b = new StringBuilder("<dl class=\"params\">");
    for (ReportParameter p : d.parameters()) {
      String v = values.getOrDefault(p.name(), "");
      String shown = p.type() == ParameterType.DATE ? ColumnFormat.DATE.format(v, null) : v.isEmpty() ? "(any)" : v;
      b.append("<div><dt>").append(escape(ColumnFormat.humanize(p.name()))).append(":</dt><dd>").append(escape(shown))
          .append("</dd></div>");
    }
    return b.append("</dl>\n").toString();
  }

  /** The headline strip: each key figure, and its change against the previous period. */
  static String headline(ReportDocument doc) {
    List<HeadlineFigure> figures = doc.figures();
    if (figures.isEmpty()) {
      return "";
    }
    StringBuilder b = new StringBuilder("<section class=\"headline\" aria-label=\"Headline figures\">\n");
    for (HeadlineFigure f : figures) {
      String tone = f.good().map(g -> g ? "good" : "bad").orElse("flat");
      String previous = f.previous().map(p -> " vs " + f.headline().format().format(p, doc.currency())).orElse("");
      b.append("<div class=\"kpi\"><div class=\"label\">").append(escape(f.headline().label()))
          .append("</div><div class=\"value\">").append(escape(f.text(doc.currency()))).append("</div>");
      if (!f.change().isEmpty()) {
        b.append("<div class=\"change\"><span class=\"").append(tone).append("\">").append(escape(f.change()))
            .append("</span>").append(escape(previous)).append("</div>");
      } else if (doc.report().compare().isPresent()) {
        b.append("<div class=\"change\">no previous figure</div>");
      }
      b.append("</div>\n");
    }
    return b.append("</section>\n").toString();
  }

  private static String table(ReportDocument doc) {
    ReportResult r = doc.result();
    ReportDefinition d = doc.report();
    List<ColumnFormat> formats = r.columns().stream().map(doc::format).toList();
    StringBuilder b = new StringBuilder("<h2>Details</h2>\n<div class=\"scroll\"><table>\n<thead><tr>");
    for (int i = 0; i < r.columns().size(); i++) {
      b.append(formats.get(i).numeric() ? "<th class=\"n\">" : "<th>").append(escape(d.label(r.columns().get(i))))
          .append("</th>");
    }
    b.append("</tr></thead>\n<tbody>\n");
    int shown = 0;
    for (Object[] row : r.rows()) {
      if (shown++ == MAX_TABLE_ROWS) {
        b.append("<tr><td colspan=\"").append(row.length).append("\">… ").append(r.rows().size() - MAX_TABLE_ROWS)
            .append(" more rows in the CSV</td></tr>\n");
        break;
      }
      b.append("<tr>");
      for (int i = 0; i < row.length; i++) {
        b.append(formats.get(i).numeric() ? "<td class=\"n\">" : "<td>")
            .append(escape(formats.get(i).format(row[i], doc.currency()))).append("</td>");
      }
      b.append("</tr>\n");
    }
    return b.append("</tbody></table></div>\n").toString();
  }

  /** Text made safe in HTML or SVG, element content and attribute values alike; null is empty. */
  public static String escape(String s) {
    if (s == null) {
      return "";
    }
    StringBuilder b = new StringBuilder(s.length());
    for (char c : s.toCharArray()) {
      switch (c) {
        case '<' -> b.append("&lt;");
        case '>' -> b.append("&gt;");
        case '&' -> b.append("&amp;");
        case '"' -> b.append("&quot;");
        case '\'' -> b.append("&#39;");
        default -> b.append(c);
      }
    }
    return b.toString();
  }
}
