package dev.lode.sql.server;

import java.sql.Array;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.Calendar;
import java.util.List;
import java.util.Locale;
import java.util.TimeZone;
import org.apache.calcite.avatica.Meta.Frame;

/**
 * Reads results into the rows Avatica's frames carry (dates as days, timestamps as epoch ms,
 * arrays as lists, maps and structs as text) and serves them frame by frame; a statement's
 * result is read in full (at most {@code lode.sql.max-rows} rows) before the first frame.
 */
final class ResultFrames {
  static final Calendar UTC = Calendar.getInstance(TimeZone.getTimeZone("UTC"), Locale.ROOT);
  /** Rows per frame when the client does not ask for a size. */
  static final int FRAME_ROWS = 100;

  private final long maxRows;

  ResultFrames(long maxRows) {
    this.maxRows = maxRows;
  }

  /** Reads the statement's result into {@code s.rows} and closes it; over the limit it fails with SQLSTATE 54000. */
  void spool(RemoteStatement s) throws SQLException {
    try (ResultSet rs = s.resultSet) {
      s.resultSet = null;
      int[] types = types(rs.getMetaData());
      List<Object> rows = new ArrayList<>();
      while (rs.next()) {
        if (rows.size() >= maxRows) {
          throw new SQLException("result too large: more than lode.sql.max-rows=" + maxRows
              + " rows; add a LIMIT, a WHERE clause or aggregate", ClientErrors.RESULT_TOO_LARGE);
        }
        rows.add(row(rs, types));
      }
      s.rows = rows;
    }
  }

  /** The next frame of at most {@code size} rows of the spooled result; {@code done} on the last. */
  static Frame next(RemoteStatement s, long offset, int size) {
    List<Object> all = s.rows;
    int from = (int) s.rowsSent;
    int to = (int) Math.min(all.size(), from + (long) size);
    List<Object> rows = new ArrayList<>(all.subList(from, to));
    s.rowsSent = to;
    boolean done = to == all.size();
    if (done) {
      s.rows = null;
    }
    return new Frame(offset, done, rows);
  }

  /** Every row of {@code rs}, without a limit (metadata results are small). */
  static List<Object> readAll(ResultSet rs) throws SQLException {
    int[] types = types(rs.getMetaData());
    List<Object> rows = new ArrayList<>();
    while (rs.next()) {
      rows.add(row(rs, types));
    }
    return rows;
  }

  private static int[] types(ResultSetMetaData md) throws SQLException {
    int[] types = new int[md.getColumnCount()];
    for (int i = 0; i < types.length; i++) {
      types[i] = md.getColumnType(i + 1);
    }
    return types;
  }

  private static Object[] row(ResultSet rs, int[] types) throws SQLException {
    Object[] row = new Object[types.length];
    for (int j = 0; j < types.length; j++) {
      row[j] = value(rs, types[j], j + 1);
    }
    return row;
  }

  private static Object value(ResultSet rs, int type, int i) throws SQLException {
    Object v;
    switch (type) {
      case Types.BIGINT -> v = rs.getLong(i);
      case Types.INTEGER -> v = rs.getInt(i);
      case Types.SMALLINT -> v = rs.getShort(i);
      case Types.TINYINT -> v = rs.getByte(i);
      case Types.DOUBLE, Types.FLOAT -> v = rs.getDouble(i);
      case Types.REAL -> v = rs.getFloat(i);
      case Types.BOOLEAN -> v = rs.getBoolean(i);
      case Types.DATE -> {
        java.sql.Date d = rs.getDate(i, UTC);
        v = d == null ? null : (int) Math.floorDiv(d.getTime(), 86_400_000L);
      }
      case Types.TIME -> {
        java.sql.Time t = rs.getTime(i, UTC);
        v = t == null ? null : (int) Math.floorMod(t.getTime(), 86_400_000L);
      }
      case Types.TIMESTAMP -> {
        java.sql.Timestamp t = rs.getTimestamp(i, UTC);
        v = t == null ? null : t.getTime();
      }
      case Types.ARRAY -> {
        Array a = rs.getArray(i);
        v = a == null ? null : arrayValues(a.getArray());
      }
      case Types.OTHER, Types.JAVA_OBJECT, Types.STRUCT -> {
        Object o = rs.getObject(i);
        v = o == null ? null : String.valueOf(o);
      }
      default -> v = rs.getObject(i);
    }
    return rs.wasNull() ? null : v;
  }

  private static List<Object> arrayValues(Object array) {
    List<Object> out = new ArrayList<>();
    int n = java.lang.reflect.Array.getLength(array);
    for (int k = 0; k < n; k++) {
      Object o = java.lang.reflect.Array.get(array, k);
      out.add(o == null || o instanceof Number || o instanceof String || o instanceof Boolean ? o : String.valueOf(o));
    }
    return out;
  }
}
