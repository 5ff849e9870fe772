package dev.lode.cli;

import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * The rows of one result as the printers read them, one at a time, each value as JDBC's
 * {@code getObject} hands it over — from a JDBC result set or from Avatica's JSON frames.
 */
interface ResultRows {
  /** Moves to the next row; false after the last. */
  boolean next() throws SQLException;

  /** Column {@code i} (0-based) of the current row; null for SQL NULL. */
  Object value(int i) throws SQLException;

  /** The rows of a JDBC result set. */
  static ResultRows of(ResultSet rs) {
    return new ResultRows() {
      @Override
      public boolean next() throws SQLException {
        return rs.next();
      }

      @Override
      public Object value(int i) throws SQLException {
        return rs.getObject(i + 1);
      }
    };
  }
}
