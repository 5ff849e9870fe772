package dev.lode.sql.server;

import java.sql.JDBCType;
import java.sql.Types;

/**
 * The plain JDBC type names {@code getColumns} reports ({@code VARCHAR}, {@code TIMESTAMP},
 * {@code DECIMAL}, {@code ARRAY}…): Calcite's full type strings ({@code VARCHAR NOT NULL},
 * {@code TIMESTAMP(3)}) are not matched by drivers that map TYPE_NAME by exact name (Metabase's
 * druid-jdbc); precision and scale are in COLUMN_SIZE and DECIMAL_DIGITS, nullability in
 * NULLABLE. Maps and structs travel as text, so they are declared VARCHAR.
 */
final class ColumnTypeNames {
  private ColumnTypeNames() {
  }

  /** The JDBC type code a client sees for a column Calcite types as {@code dataType}. */
  static int dataType(int dataType) {
    return travelsAsText(dataType) ? Types.VARCHAR : dataType;
  }

  /** The plain name of {@link #dataType}. */
  static String name(int dataType) {
    int t = dataType(dataType);
    try {
      return JDBCType.valueOf(t).getName();
    } catch (IllegalArgumentException e) {
      return "VARCHAR"; // a vendor type code: its values travel as text too
    }
  }

  static boolean travelsAsText(int dataType) {
    return dataType == Types.OTHER || dataType == Types.JAVA_OBJECT || dataType == Types.STRUCT;
  }
}
