package dev.lode.cli;

import java.io.PrintStream;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/** Prints a result set as an aligned text table, numbers right-aligned. */
final class TablePrinter {
  private TablePrinter() {
  }

  /** Prints up to {@code maxRows} rows; returns the number of rows read. */
  static long print(ResultSet rs, PrintStream out, long maxRows) throws SQLException {
    ResultSetMetaData md = rs.getMetaData();
    int n = md.getColumnCount();
    String[] header = new String[n];
    boolean[] numeric = new boolean[n];
    int[] width = new int[n];
    for (int i = 0; i < n; i++) {
      header[i] = md.getColumnLabel(i + 1);
      width[i] = header[i].length();
      numeric[i] = isNumeric(md.getColumnType(i + 1));
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
        Object v = rs.getObject(i + 1);
        r[i] = v == null ? "NULL" : v.toString();
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

  private static boolean isNumeric(int type) {
    return switch (type) {
      case java.sql.Types.TINYINT, java.sql.Types.SMALLINT, java.sql.Types.INTEGER, java.sql.Types.BIGINT,
           java.sql.Types.FLOAT, java.sql.Types.REAL, java.sql.Types.DOUBLE, java.sql.Types.DECIMAL,
           java.sql.Types.NUMERIC -> true;
      default -> false;
    };
  }
}
