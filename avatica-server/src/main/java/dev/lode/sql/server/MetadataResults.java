package dev.lode.sql.server;

import java.lang.reflect.InvocationTargetException;
import java.sql.DatabaseMetaData;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.EnumMap;
import java.util.Map;
import org.apache.calcite.avatica.Meta.DatabaseProperty;
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
