package dev.lode.report;

import java.io.IOException;
import java.io.Writer;

/** Writes a report result as RFC 4180 CSV: a header row, fields quoted when they need it. */
final class CsvOutput {
  private CsvOutput() {
  }

  static void write(ReportResult r, Writer out) throws IOException {
    for (int i = 0; i < r.columns().size(); i++) {
      out.write((i > 0 ? "," : "") + field(r.columns().get(i)));
    }
    out.write("\r\n");
    for (Object[] row : r.rows()) {
      for (int i = 0; i < row.length; i++) {
        out.write((i > 0 ? "," : "") + field(ReportResult.text(row[i])));
      }
      out.write("\r\n");
    }
  }

  private static String field(String s) {
    if (s.indexOf(',') < 0 && s.indexOf('"') < 0 && s.indexOf('\n') < 0 && s.indexOf('\r') < 0) {
      return s;
    }
    return '"' + s.replace("\"", "\"\"") + '"';
  }
}
