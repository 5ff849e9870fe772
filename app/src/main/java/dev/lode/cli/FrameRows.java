package dev.lode.cli;

import java.math.BigDecimal;
import java.sql.SQLException;
import java.sql.Types;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The rows of a result read from Avatica's JSON frames, each value converted by its column's
 * type to what the Avatica driver's {@code getObject} gives ({@code Integer}, {@code Double},
 * {@code BigDecimal}, a date, a timestamp, a list for an array), fetching frame after frame.
 * Only the types it converts are taken ({@link #decodes}); a result with another goes through
 * the driver.
 */
final class FrameRows implements ResultRows {
  /** The scalar JDBC types read here. */
  private static final Set<Integer> SCALARS = Set.of(Types.BOOLEAN, Types.BIT, Types.TINYINT, Types.SMALLINT,
      Types.INTEGER, Types.BIGINT, Types.REAL, Types.FLOAT, Types.DOUBLE, Types.DECIMAL, Types.NUMERIC, Types.CHAR,
      Types.VARCHAR, Types.LONGVARCHAR, Types.DATE, Types.TIMESTAMP);

  private final AvaticaJsonSession session;
  private final AvaticaJsonSession.Prepared statement;
  private final List<Map<String, Object>> types;
  private AvaticaJsonSession.Frame frame;
  private int next;
  private List<Object> row;

  FrameRows(AvaticaJsonSession session, AvaticaJsonSession.Prepared statement, AvaticaJsonSession.Frame first) {
    this.session = session;
    this.statement = statement;
    this.frame = first;
    this.types = new ArrayList<>();
    for (Map<String, Object> c : statement.columns()) {
      types.add(type(c));
    }
  }

  /** Whether every column of {@code columns} (Avatica's column metadata) has a type read here. */
  static boolean decodes(List<Map<String, Object>> columns) {
    for (Map<String, Object> c : columns) {
      Map<String, Object> t = type(c);
      String name = (String) t.get("name");
      if (name != null && name.contains("Tuple(")) {
        return false;
      }
      boolean ok = switch (String.valueOf(t.get("type"))) {
        case "scalar" -> SCALARS.contains(id(t));
        // arrays of numbers, strings and booleans; of dates, timestamps or nested arrays through the driver
        case "array" -> t.get("component") instanceof Map<?, ?> m && "scalar".equals(m.get("type"))
            && SCALARS.contains(id(castMap(m))) && id(castMap(m)) != Types.DATE && id(castMap(m)) != Types.TIMESTAMP;
        default -> false;
      };
      if (!ok) {
        return false;
      }
    }
    return true;
  }

  @Override
  public boolean next() throws SQLException {
    while (next >= frame.rows().size()) {
      if (frame.done()) {
        row = null;
        return false;
      }
      try {
        frame = session.fetch(statement, frame.offset() + frame.rows().size());
      } catch (AvaticaJsonSession.Failure e) {
        throw new SQLException(e.getMessage(), e);
      }
      next = 0;
    }
    row = frame.rows().get(next++);
    return true;
  }

  @Override
  public Object value(int i) {
    return value(types.get(i), row.get(i));
  }

  /** A JSON value as the driver's {@code getObject} gives it for a column of {@code type}. */
  static Object value(Map<String, Object> type, Object v) {
    if (v == null) {
      return null;
    }
    if ("array".equals(type.get("type"))) {
      Map<String, Object> component = castMap((Map<?, ?>) type.get("component"));
      List<Object> out = new ArrayList<>();
      for (Object e : (List<?>) v) {
        out.add(value(component, e));
      }
      return out;
    }
    String text = v instanceof AvaticaJsonSession.JsonNumber n ? n.text() : null;
    return switch (id(type)) {
      case Types.BOOLEAN, Types.BIT -> v;
      case Types.TINYINT -> Byte.valueOf(text);
      case Types.SMALLINT -> Short.valueOf(text);
      case Types.INTEGER -> Integer.valueOf(text);
      case Types.BIGINT -> Long.valueOf(text);
      // Jackson writes a non-finite double as the string "NaN", "Infinity" or "-Infinity"
      case Types.REAL -> Float.valueOf(text != null ? text : (String) v);
      case Types.FLOAT, Types.DOUBLE -> Double.valueOf(text != null ? text : (String) v);
      case Types.DECIMAL, Types.NUMERIC -> new BigDecimal(text);
      // days since 1970-01-01, and milliseconds since then in the server's wall clock
      case Types.DATE -> LocalDate.ofEpochDay(((AvaticaJsonSession.JsonNumber) v).longValue());
      case Types.TIMESTAMP -> timestamp(((AvaticaJsonSession.JsonNumber) v).longValue());
      default -> v instanceof AvaticaJsonSession.JsonNumber ? text : v;
    };
  }

  private static LocalDateTime timestamp(long millis) {
    long seconds = Math.floorDiv(millis, 1000L);
    int nanos = (int) Math.floorMod(millis, 1000L) * 1_000_000;
    return LocalDateTime.ofEpochSecond(seconds, nanos, ZoneOffset.UTC);
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> type(Map<String, Object> column) {
    return (Map<String, Object>) column.get("type");
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> castMap(Map<?, ?> m) {
    return (Map<String, Object>) m;
  }

  private static int id(Map<String, Object> type) {
    Object id = type.get("id");
    return id instanceof AvaticaJsonSession.JsonNumber n ? (int) n.longValue() : Integer.MIN_VALUE;
  }
}
