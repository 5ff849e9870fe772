package dev.lode.cli;

import java.io.PrintStream;
import java.sql.ResultSet;
import java.sql.SQLException;

/** Prints a result set in one of {@link SqlFormat}'s formats. */
interface ResultPrinter {
  /** Prints up to {@code maxRows} rows under {@code columns}' labels; returns the number of rows read. */
  long print(ResultRows rows, ResultColumns columns, PrintStream out, long maxRows) throws SQLException;

  /** Prints with the result's own labels. */
  default long print(ResultSet rs, PrintStream out, long maxRows) throws SQLException {
    return print(ResultRows.of(rs), ResultColumns.of(rs.getMetaData(), null), out, maxRows);
  }

  /** The printer of a format. */
  static ResultPrinter of(SqlFormat format) {
    return format.printer();
  }
}
