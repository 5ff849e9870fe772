package dev.lode.report;

import java.io.IOException;
import java.io.Writer;
import java.time.Instant;
import java.util.Map;

/**
 * Writes a report result as one self-contained HTML page: title, description, the
 * parameters it ran with, an inline SVG chart and the table. No script, no external
 * stylesheet, font or image, so it renders the same from a mail attachment or a file share.
 */
final class HtmlOutput {
  private static final int MAX_TABLE_ROWS = 5_000;

  private HtmlOutput() {
  }

  static void write(ReportResult r, Instant ranAt, Writer out) throws IOException {
    ReportDefinition d = r.report();
    out.write("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n");
    out.write("<title>" + escape(d.title()) + "</title>\n");
    out.write("<style>body{font-family:system-ui,-apple-system,'Segoe UI',Roboto,sans-serif;margin:24px;color:#212529}"
        + "h1{font-size:22px;margin:0 0 4px}p.meta{color:#6c757d;font-size:13px;margin:2px 0 14px}"
        + "table{border-collapse:collapse;font-size:13px;margin-top:16px}"
        + "th,td{border-bottom:1px solid #dee2e6;padding:4px 10px}th{background:#f1f3f5;text-align:left}"
        + "td.n{text-align:right;font-variant-numeric:tabular-nums}</style>\n</head><body>\n");
    out.write("<h1>" + escape(d.title()) + "</h1>\n");
    if (!d.description().isEmpty()) {
      out.write("<p>" + escape(d.description()) + "</p>\n");
    }
    StringBuilder params = new StringBuilder();
    for (Map.Entry<String, String> p : r.parameters().entrySet()) {
      params.append(params.isEmpty() ? "" : ", ").append(p.getKey()).append(" = ").append(p.getValue());
    }
    out.write("<p class=\"meta\">report <b>" + escape(d.name()) + "</b> · run " + escape(ranAt.truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString())
        + (params.isEmpty() ? "" : " · " + escape(params.toString())) + " · " + r.rows().size() + " rows</p>\n");
    out.write(SvgChart.render(r));
    out.write("<table>\n<thead><tr>");
    for (String c : r.columns()) {
      out.write("<th>" + escape(c) + "</th>");
    }
    out.write("</tr></thead>\n<tbody>\n");
    int shown = 0;
    for (Object[] row : r.rows()) {
      if (shown++ == MAX_TABLE_ROWS) {
        out.write("<tr><td colspan=\"" + row.length + "\">… " + (r.rows().size() - MAX_TABLE_ROWS)
            + " more rows in the CSV</td></tr>\n");
        break;
      }
      out.write("<tr>");
      for (Object v : row) {
        out.write(v instanceof Number ? "<td class=\"n\">" : "<td>");
        out.write(escape(ReportResult.text(v)));
        out.write("</td>");
      }
      out.write("</tr>\n");
    }
    if (r.rows().isEmpty()) {
      out.write("<tr><td colspan=\"" + r.columns().size() + "\">no rows</td></tr>\n");
    }
    out.write("</tbody></table>\n</body></html>\n");
  }

  static String escape(String s) {
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
