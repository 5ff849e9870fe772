package dev.lode.sql.server;

import java.lang.reflect.InvocationTargetException;
import java.sql.DatabaseMetaData;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.apache.calcite.avatica.ColumnMetaData;
import org.apache.calcite.avatica.Meta;
import org.apache.calcite.avatica.Meta.DatabaseProperty;
import org.apache.calcite.avatica.MetaImpl;
import org.apache.calcite.avatica.Meta.Frame;
import org.apache.calcite.avatica.Meta.MetaResultSet;
import org.apache.calcite.avatica.Meta.Signature;

/** Answers the JDBC metadata calls (getTables, getColumns, getFunctions, database properties…) from the connection's Calcite metadata, each in one frame. */
final class MetadataResults {
  /** One DatabaseMetaData call. */
  interface Query {
    ResultSet run(DatabaseMetaData md) throws SQLException;
  }

  private MetadataResults() {
  }

  /** The whole result of {@code query}, as metadata statement {@code id} of connection {@code connectionId}. */
  static MetaResultSet read(String connectionId, int id, DatabaseMetaData md, Query query) {
    try (ResultSet rs = query.run(md)) {
      Signature sig = ResultSignatures.of(rs.getMetaData(), null, null);
      return MetaResultSet.create(connectionId, id, true, sig, new Frame(0, true, ResultFrames.readAll(rs)));
    } catch (SQLException e) {
      throw ClientErrors.forMetadata(e);
    }
  }

  /**
   * {@code getTables} as {@link RelationListing} types and filters it: Calcite is asked for every
   * type (a masked view must match a request for TABLE), then the listed type is filtered on.
   */
  static MetaResultSet tables(String connectionId, int id, DatabaseMetaData md, String catalog, String schema,
                              String table, List<String> types) {
    try (ResultSet rs = md.getTables(catalog, asStored(schema), asStored(table), null)) {
      int name = column(rs, "TABLE_NAME");
      int type = column(rs, "TABLE_TYPE");
      List<Object> rows = new ArrayList<>();
      for (Object o : ResultFrames.readAll(rs)) {
        Object[] row = (Object[]) o;
        row[type] = RelationListing.typeOf((String) row[type]);
        if (RelationListing.selectable((String) row[name]) && RelationListing.asked((String) row[type], types)) {
          rows.add(row);
        }
      }
      Signature sig = ResultSignatures.of(rs.getMetaData(), null, null);
      return MetaResultSet.create(connectionId, id, true, sig, new Frame(0, true, rows));
    } catch (SQLException e) {
      throw ClientErrors.forMetadata(e);
    }
  }

  /** {@code getTableTypes}: the types {@link #tables} lists, so that a client filtering on one of them finds its tables. */
  static MetaResultSet tableTypes(String connectionId, int id, DatabaseMetaData md) {
    try (ResultSet rs = md.getTables(null, null, null, null)) {
      int type = column(rs, "TABLE_TYPE");
      java.util.TreeSet<String> listed = new java.util.TreeSet<>();
      for (Object o : ResultFrames.readAll(rs)) {
        listed.add(RelationListing.typeOf((String) ((Object[]) o)[type]));
      }
      List<Object> rows = new ArrayList<>();
      for (String t : listed) {
        rows.add(new Object[] {t});
      }
      Signature sig = Signature.create(List.of(MetaImpl.columnMetaData("TABLE_TYPE", 0, String.class, false)), null,
          List.of(), Meta.CursorFactory.LIST, Meta.StatementType.SELECT);
      return MetaResultSet.create(connectionId, id, true, sig, new Frame(0, true, rows));
    } catch (SQLException e) {
      throw ClientErrors.forMetadata(e);
    }
  }

  /**
   * {@code getColumns} with plain type names ({@link ColumnTypeNames}), without the columns of
   * relations {@link RelationListing} does not list, and with phoenixdb's {@code TYPE_ID} (its
   * SQLAlchemy dialect reads this Phoenix column and fails without it; it equals DATA_TYPE)
   * as an extra trailing column.
   */
  static MetaResultSet columns(String connectionId, int id, DatabaseMetaData md, String catalog, String schema,
                               String table, String column) {
    try (ResultSet rs = md.getColumns(catalog, asStored(schema), asStored(table), asStored(column))) {
      int tableName = column(rs, "TABLE_NAME");
      int dataType = column(rs, "DATA_TYPE");
      int typeName = column(rs, "TYPE_NAME");
      int size = column(rs, "COLUMN_SIZE");
      int digits = column(rs, "DECIMAL_DIGITS");
      int width = rs.getMetaData().getColumnCount();
      List<Object> rows = new ArrayList<>();
      for (Object o : ResultFrames.readAll(rs)) {
        Object[] in = (Object[]) o;
        if (!RelationListing.selectable((String) in[tableName])) {
          continue;
        }
        Object[] row = java.util.Arrays.copyOf(in, width + 1);
        int t = ((Number) in[dataType]).intValue();
        row[dataType] = ColumnTypeNames.dataType(t);
        row[typeName] = ColumnTypeNames.name(t);
        if (t == java.sql.Types.TIMESTAMP || t == java.sql.Types.TIME) {
          // Calcite puts the fractional-second digits in COLUMN_SIZE; JDBC wants them in
          // DECIMAL_DIGITS and the length of the text form in COLUMN_SIZE
          int fraction = in[size] instanceof Number n && n.intValue() > 0 ? n.intValue() : 0;
          row[digits] = fraction;
          row[size] = (t == java.sql.Types.TIMESTAMP ? 19 : 8) + (fraction > 0 ? fraction + 1 : 0);
        }
        row[width] = row[dataType];
        rows.add(row);
      }
      Signature base = ResultSignatures.of(rs.getMetaData(), null, null);
      List<ColumnMetaData> columns = new ArrayList<>(base.columns);
      columns.add(MetaImpl.columnMetaData("TYPE_ID", width, Integer.class, true));
      Signature sig = Signature.create(columns, null, List.of(), Meta.CursorFactory.LIST, Meta.StatementType.SELECT);
      return MetaResultSet.create(connectionId, id, true, sig, new Frame(0, true, rows));
    } catch (SQLException e) {
      throw ClientErrors.forMetadata(e);
    }
  }

  /**
   * A name pattern as the warehouse stores it. Lode's names are lower case and SQL matches them in
   * any case, but avatica-core tells every client that unquoted names are stored in upper case (a
   * flag of the client's own connection, which the server cannot change), so tools that follow it
   * — sqlline's {@code !columns events} asks for {@code EVENTS} — send an all-upper-case pattern:
   * its lower-case form is meant (an all-upper-case name is never one of Lode's).
   */
  private static String asStored(String pattern) {
    return pattern != null && pattern.equals(pattern.toUpperCase(java.util.Locale.ROOT))
        ? pattern.toLowerCase(java.util.Locale.ROOT) : pattern;
  }

  /** The 0-based index of the result column labelled {@code label}. */
  private static int column(ResultSet rs, String label) throws SQLException {
    return rs.findColumn(label) - 1;
  }

  /** Every JDBC database property Calcite answers, with Lode's product name and version. */
  static Map<DatabaseProperty, Object> databaseProperties(DatabaseMetaData md, String version) {
    Map<DatabaseProperty, Object> out = new EnumMap<>(DatabaseProperty.class);
    for (DatabaseProperty p : DatabaseProperty.values()) {
      if (p.isJdbc) {
        try {
          out.put(p, p.method.invoke(md));
        } catch (IllegalAccessException | InvocationTargetException e) {
          // leave the client's default for this property
        }
      }
    }
    out.put(DatabaseProperty.GET_DATABASE_PRODUCT_NAME, "Lode");
    out.put(DatabaseProperty.GET_DATABASE_PRODUCT_VERSION, version);
    java.util.regex.Matcher m = java.util.regex.Pattern.compile("(\\d+)\\.(\\d+)").matcher(version);
    if (m.find()) {
      out.put(DatabaseProperty.GET_DATABASE_MAJOR_VERSION, Integer.parseInt(m.group(1)));
      out.put(DatabaseProperty.GET_DATABASE_MINOR_VERSION, Integer.parseInt(m.group(2)));
    }
    return out;
  }
}
