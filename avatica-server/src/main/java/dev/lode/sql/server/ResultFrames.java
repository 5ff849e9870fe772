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
 * result is read in full before the first frame — at most {@code lode.sql.max-rows} rows,
 * stopped at the statement's deadline — so its ClickHouse connection is released at once and
 * its errors reach the execute call; rows past the {@link ResultMemory} budgets are spilled to
 * disk ({@link ResultSpill}) rather than held on the heap.
 */
final class ResultFrames {
  static final Calendar UTC = Calendar.getInstance(TimeZone.getTimeZone("UTC"), Locale.ROOT);
  /** Rows per frame when the client does not ask for a size. */
  static final int FRAME_ROWS = 100;
  /** Rows per frame at most, whatever the client asks: a larger frame would be a second copy of a held result. */
  static final int MAX_FRAME_ROWS = 10_000;
  /** SQLSTATE of a result that could not be spilled to disk (disk full). */
  static final String SPILL_FAILED = "53100";

  /** Rows read between two looks at the deadline. */
  private static final int DEADLINE_EVERY = 256;

  private final long maxRows;
  private final ResultMemory memory;
  private final java.nio.file.Path spillDir;

  ResultFrames(SqlLimits limits, ResultMemory memory) {
    this.maxRows = limits.maxRows();
    this.memory = memory;
    this.spillDir = limits.spillDir();
  }

  /**
   * Reads the statement's result into {@code s.rows} (and its spill file) and closes it: over
   * the row limit it fails with SQLSTATE 54000, over the disk budget with 53200, past the
   * statement's deadline or cancelled with 57014.
   */
  void spool(RemoteStatement s) throws SQLException {
    try (ResultSet rs = s.resultSet) {
      s.resultSet = null;
      ColumnTypes types = types(rs.getMetaData());
      List<Object> rows = new ArrayList<>();
      long n = 0;
      while (rs.next()) {
        if (n >= maxRows) {
          drop(s);
          throw new SQLException("result too large: more than lode.sql.max-rows=" + maxRows
              + " rows; add a LIMIT, a WHERE clause or aggregate", ClientErrors.RESULT_TOO_LARGE);
        }
        if (n % DEADLINE_EVERY == 0 && s.bound.over()) {
          drop(s);
          s.bound.throwIfOver();
        }
        Object[] row = row(rs, types);
        long bytes = ResultMemory.estimate(row);
        if (memory.keep(s, bytes)) {
          rows.add(row);
        } else {
          spill(s, row, bytes);
        }
        n++;
      }
      if (s.spill != null) {
        try {
          s.spill.finish();
        } catch (java.io.IOException e) {
          drop(s);
          throw spillFailed(e);
        }
      }
      s.rows = rows;
      s.lastFetched = System.nanoTime();
    }
  }

  private void spill(RemoteStatement s, Object[] row, long bytes) throws SQLException {
    try {
      if (s.spill == null) {
        s.spill = ResultSpill.create(spillDir);
      }
      memory.spilled(s, bytes);
      s.spill.write(row);
    } catch (java.io.IOException e) {
      drop(s);
      throw spillFailed(e);
    } catch (SQLException e) {
      drop(s);
      throw e;
    }
  }

  private SQLException spillFailed(java.io.IOException e) {
    return new SQLException("result too large for memory, and it could not be spilled to lode.sql.spill-dir="
        + spillDir + ": " + e.getMessage() + "; add a LIMIT or aggregate", SPILL_FAILED, e);
  }

  /**
   * The next frame of at most {@code size} rows of the spooled result (and at most {@link #MAX_FRAME_ROWS}:
   * a client asking for more gets them in further frames, as it fetches until one is {@code done}).
   */
  Frame next(RemoteStatement s, long offset, int asked) {
    int size = Math.min(asked, MAX_FRAME_ROWS);
    List<Object> held = s.rows;
    List<Object> rows = new ArrayList<>(Math.min(size, 4096));
    int from = (int) Math.min(s.rowsSent, held.size());
    if (from < held.size()) {
      rows.addAll(held.subList(from, (int) Math.min(held.size(), from + (long) size)));
    }
    if (rows.size() < size && s.spill != null) {
      rows.addAll(s.spill.next(size - rows.size()));
    }
    s.rowsSent += rows.size();
    s.lastFetched = System.nanoTime();
    boolean done = s.rowsSent >= held.size() && (s.spill == null || s.spill.remaining() == 0);
    if (done) {
      drop(s);
    }
    return new Frame(offset, done, rows);
  }

  /** Drops the held result of {@code s}, deletes its spill file and gives back its memory. */
  void drop(RemoteStatement s) {
    s.rows = null;
    if (s.spill != null) {
      s.spill.close();
      s.spill = null;
    }
    memory.release(s);
  }

  /** Every row of {@code rs}, without a limit (metadata results are small). */
  static List<Object> readAll(ResultSet rs) throws SQLException {
    ColumnTypes types = types(rs.getMetaData());
    List<Object> rows = new ArrayList<>();
    while (rs.next()) {
      rows.add(row(rs, types));
    }
    return rows;
  }

  /** The JDBC type of each column, and of each array column's elements ({@link ArrayComponent}). */
  private record ColumnTypes(int[] types, int[] components) {
  }

  private static ColumnTypes types(ResultSetMetaData md) throws SQLException {
    int[] types = new int[md.getColumnCount()];
    int[] components = new int[types.length];
    for (int i = 0; i < types.length; i++) {
      types[i] = md.getColumnType(i + 1);
      components[i] = types[i] == Types.ARRAY ? ArrayComponent.of(md.getColumnTypeName(i + 1)) : Types.NULL;
    }
    return new ColumnTypes(types, components);
  }

  private static Object[] row(ResultSet rs, ColumnTypes types) throws SQLException {
    Object[] row = new Object[types.types().length];
    for (int j = 0; j < row.length; j++) {
      row[j] = value(rs, types.types()[j], types.components()[j], j + 1);
    }
    return row;
  }

  private static Object value(ResultSet rs, int type, int component, int i) throws SQLException {
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
        v = a == null ? null : arrayValues(a.getArray(), component);
      }
      case Types.OTHER, Types.JAVA_OBJECT, Types.STRUCT -> v = StructuredText.of(rs.getObject(i));
      default -> v = rs.getObject(i);
    }
    return rs.wasNull() ? null : v;
  }

  private static List<Object> arrayValues(Object array, int component) {
    List<Object> out = new ArrayList<>();
    int n = java.lang.reflect.Array.getLength(array);
    for (int k = 0; k < n; k++) {
      out.add(ArrayComponent.element(java.lang.reflect.Array.get(array, k), component));
    }
    return out;
  }
}
