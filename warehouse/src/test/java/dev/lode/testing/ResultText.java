package dev.lode.testing;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/** A query's rows with each column as the driver's string for it, for comparing two engines' answers. */
public final class ResultText {
  private ResultText() {
  }

  /** Runs {@code sql} on {@code st} and returns its rows, each column by {@link ResultSet#getString}. */
  public static List<List<String>> rows(Statement st, String sql) throws SQLException {
    try (ResultSet rs = st.executeQuery(sql)) {
      return rows(rs);
    }
  }

  /** The remaining rows of {@code rs}, each column by {@link ResultSet#getString}. */
  public static List<List<String>> rows(ResultSet rs) throws SQLException {
    List<List<String>> out = new ArrayList<>();
    int n = rs.getMetaData().getColumnCount();
    while (rs.next()) {
      List<String> row = new ArrayList<>(n);
      for (int i = 1; i <= n; i++) {
        row.add(rs.getString(i));
      }
      out.add(row);
    }
    return out;
  }
}
