package dev.lode.cli;

import java.io.PrintStream;
import java.sql.SQLException;

/** Prints each row as a block of {@code column: value} lines, for wide rows (ClickHouse's Vertical format). */
final class VerticalPrinter implements ResultPrinter {
  @Override
  public long print(ResultRows rs, ResultColumns columns, PrintStream out, long maxRows) throws SQLException {
    int width = columns.labels().stream().mapToInt(String::length).max().orElse(0);
    long count = 0;
    while (rs.next() && count < maxRows) {
      count++;
      String title = "Row " + count + ":";
      out.println((count > 1 ? "\n" : "") + title);
      out.println("-".repeat(title.length()));
      for (int i = 0; i < columns.size(); i++) {
        String label = columns.labels().get(i);
        out.println(label + ":" + " ".repeat(width - label.length() + 1) + columns.text(rs, i));
      }
    }
    out.println((count > 0 ? "\n" : "") + "(" + count + (count == 1 ? " row" : " rows") + ")");
    return count;
  }
}
