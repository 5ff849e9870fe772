package dev.lode.cli;

import java.io.PrintStream;
import java.sql.SQLException;
import java.util.List;

/**
 * Prints a result set as CSV (RFC 4180: fields with a comma, quote or line break quoted, quotes
 * doubled) or TSV (ClickHouse's TabSeparated escaping: tab, line break and backslash escaped),
 * with a header line; NULL is an empty CSV field and {@code \N} in TSV, as ClickHouse writes them.
 */
final class DelimitedPrinter implements ResultPrinter {
  private final char delimiter;

  DelimitedPrinter(char delimiter) {
    this.delimiter = delimiter;
  }

  @Override
  public long print(ResultRows rs, ResultColumns columns, PrintStream out, long maxRows) throws SQLException {
    line(out, columns.labels());
    long count = 0;
    String[] cells = new String[columns.size()];
    while (rs.next() && count < maxRows) {
      count++;
      for (int i = 0; i < cells.length; i++) {
        cells[i] = rs.value(i) == null ? null : columns.text(rs, i);
      }
      line(out, java.util.Arrays.asList(cells));
    }
    return count;
  }

  private void line(PrintStream out, List<String> cells) {
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < cells.size(); i++) {
      if (i > 0) {
        b.append(delimiter);
      }
      b.append(field(cells.get(i)));
    }
    out.println(b);
  }

  private String field(String v) {
    if (delimiter == '\t') {
      return v == null ? "\\N" : v.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r");
    }
    if (v == null) {
      return "";
    }
    boolean quote = v.indexOf(',') >= 0 || v.indexOf('"') >= 0 || v.indexOf('\n') >= 0 || v.indexOf('\r') >= 0;
    return quote ? "\"" + v.replace("\"", "\"\"") + "\"" : v;
  }
}
