package dev.lode.cli;

import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.List;

/**
 * The columns of a result as {@code bin/lode sql} prints them: a label each (an unnamed
 * column, which Calcite calls {@code EXPR$0}, takes its expression's text from the
 * statement) and whether it is numeric (right-aligned, unquoted in JSON).
 */
record ResultColumns(List<String> labels, List<Boolean> numeric, List<Boolean> tuple) {
  static ResultColumns of(ResultSetMetaData md, String sql) throws SQLException {
    List<String> labels = new ArrayList<>();
    List<Integer> types = new ArrayList<>();
    List<String> typeNames = new ArrayList<>();
    for (int i = 1; i <= md.getColumnCount(); i++) {
      labels.add(md.getColumnLabel(i));
      types.add(md.getColumnType(i));
      typeNames.add(md.getColumnTypeName(i));
    }
    return of(labels, types, typeNames, sql);
  }

  /**
   * The columns of the given labels, JDBC type codes ({@link Types}) and type names; unnamed
   * ones take their text from {@code sql} when it is given (Lode SQL's results).
   */
  static ResultColumns of(List<String> labels, List<Integer> types, List<String> typeNames, String sql) {
    List<Boolean> numeric = new ArrayList<>();
    List<Boolean> tuple = new ArrayList<>();
    for (int i = 0; i < labels.size(); i++) {
      numeric.add(isNumeric(types.get(i)));
      String type = typeNames.get(i);
      tuple.add(type != null && (type.startsWith("Tuple(") || type.startsWith("Nullable(Tuple(")));
    }
    return new ResultColumns(sql == null ? labels : SelectItemNames.name(sql, labels), numeric, tuple);
  }

  /** The text of column {@code i} (0-based) of the current row. */
  String text(ResultRows rows, int i) throws SQLException {
    Object v = rows.value(i);
    return tuple.get(i) ? CellText.tuple(v) : CellText.of(v);
  }

  int size() {
    return labels.size();
  }

  private static boolean isNumeric(int type) {
    return switch (type) {
      case Types.TINYINT, Types.SMALLINT, Types.INTEGER, Types.BIGINT, Types.FLOAT, Types.REAL, Types.DOUBLE,
           Types.DECIMAL, Types.NUMERIC -> true;
      default -> false;
    };
  }
}
