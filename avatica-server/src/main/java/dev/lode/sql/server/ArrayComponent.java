package dev.lode.sql.server;

import java.math.BigDecimal;
import java.sql.Types;
import java.util.Locale;
import org.apache.calcite.avatica.ColumnMetaData;
import org.apache.calcite.avatica.SqlType;
import org.apache.calcite.sql.type.SqlTypeName;

/**
 * The element type an array column is declared and sent with: Calcite names an array column's
 * type {@code <component> ARRAY} (for example {@code VARCHAR NOT NULL ARRAY}), and a client
 * given component type ANY (phoenixdb) cannot decode the elements. Numbers and booleans keep
 * their type; every other element travels as its text, declared VARCHAR.
 */
final class ArrayComponent {
  private ArrayComponent() {
  }

  /** The JDBC type of the elements of an array column whose type is named {@code arrayTypeName}. */
  static int of(String arrayTypeName) {
    String name = arrayTypeName == null ? "" : arrayTypeName.toUpperCase(Locale.ROOT).trim();
    if (name.endsWith(" ARRAY")) {
      name = name.substring(0, name.length() - " ARRAY".length());
    }
    name = name.replace(" NOT NULL", "").replaceAll("\\(.*\\)", "").trim();
    SqlTypeName t = SqlTypeName.get(name);
    int jdbc = t == null ? Types.VARCHAR : t.getJdbcOrdinal();
    return switch (jdbc) {
      case Types.BIGINT, Types.INTEGER, Types.SMALLINT, Types.TINYINT, Types.DOUBLE, Types.FLOAT, Types.REAL,
           Types.BOOLEAN, Types.DECIMAL -> jdbc;
      default -> Types.VARCHAR;
    };
  }

  /**
   * The Avatica type of an array column with elements of JDBC type {@code component}. Integer
   * elements are declared with representation NUMBER: over JSON a small number arrives as an
   * Integer, which the Java client's BIGINT element accessor would not cast to Long (the NUMBER
   * accessor takes any Number; protobuf sends it as a long, exactly).
   */
  static ColumnMetaData.AvaticaType arrayType(int component) {
    SqlType element = SqlType.valueOf(component);
    boolean integer = component == Types.BIGINT || component == Types.INTEGER || component == Types.SMALLINT
        || component == Types.TINYINT;
    ColumnMetaData.ScalarType scalar = ColumnMetaData.scalar(component, element.name(),
        integer ? ColumnMetaData.Rep.NUMBER : ColumnMetaData.Rep.of(element.internal));
    return ColumnMetaData.array(scalar, element.name() + " ARRAY", ColumnMetaData.Rep.ARRAY);
  }

  /** One element as the Java value Avatica serializes for {@code component}. */
  static Object element(Object o, int component) {
    if (o == null) {
      return null;
    }
    if (o instanceof Number n) {
      return switch (component) {
        case Types.BIGINT -> n.longValue();
        case Types.INTEGER -> n.intValue();
        case Types.SMALLINT -> n.shortValue();
        case Types.TINYINT -> n.byteValue();
        case Types.DOUBLE, Types.FLOAT -> n.doubleValue();
        case Types.REAL -> n.floatValue();
        case Types.DECIMAL -> n instanceof BigDecimal b ? b : new BigDecimal(n.toString());
        default -> n.toString();
      };
    }
    if (o instanceof Boolean b && component == Types.BOOLEAN) {
      return b;
    }
    return String.valueOf(o);
  }
}
