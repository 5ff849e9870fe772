package dev.lode.cli;

import java.io.PrintStream;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/** Prints a result set as an aligned text table, numbers right-aligned, and the row count. */
final class TablePrinter implements ResultPrinter {
  @Override
  public long print(ResultRows rs, ResultColumns columns, PrintStream out, long maxRows) throws SQLException {
    int n = columns.size();
    String[] header = columns.labels().toArray(String[]::new);
    boolean[] numeric = new boolean[n];
    int[] width = new int[n];
    for (int i = 0; i < n; i++) {
      width[i] = header[i].length();
      numeric[i] = columns.numeric().get(i);
    }
    List<String[]> rows = new ArrayList<>();
    long count = 0;
    while (rs.next()) {
      count++;
      if (rows.size() >= maxRows) {
        continue;
      }
      String[] r = new String[n];
      for (int i = 0; i < n; i++) {
        r[i] = columns.text(rs, i);
        width[i] = Math.max(width[i], r[i].length());
      }
      rows.add(r);
    }
    line(out, header, width, new boolean[n]);
    StringBuilder sep = new StringBuilder();
    for (int i = 0; i < n; i++) {
      sep.append(i == 0 ? "" : "-+-").append("-".repeat(width[i]));
    }
    out.println(sep);
    for (String[] r : rows) {
      line(out, r, width, numeric);
    }
    out.println("(" + count + (count == 1 ? " row" : " rows") + (count > rows.size() ? ", " + rows.size() + " shown" : "")
        + ")");
    return count;
  }

  private static void line(PrintStream out, String[] cells, int[] width, boolean[] right) {
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < cells.length; i++) {
      if (i > 0) {
        b.append(" | ");
      }
      String pad = " ".repeat(width[i] - cells[i].length());
      b.append(right[i] ? pad + cells[i] : cells[i] + (i == cells.length - 1 ? "" : pad));
    }
    out.println(b);
  }
}
