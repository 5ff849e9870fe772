package dev.lode.sql.server;

import java.sql.ParameterMetaData;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.List;
import org.apache.calcite.avatica.AvaticaParameter;
import org.apache.calcite.avatica.ColumnMetaData;
import org.apache.calcite.avatica.Meta.CursorFactory;
import org.apache.calcite.avatica.Meta.Signature;
import org.apache.calcite.avatica.Meta.StatementType;
import org.apache.calcite.avatica.SqlType;

/** The Avatica signature (columns and parameters) of a result, in the types {@link ResultFrames} sends. */
final class ResultSignatures {
  private ResultSignatures() {
  }

  static Signature of(ResultSetMetaData md, ParameterMetaData pmd, String sql) throws SQLException {
    List<ColumnMetaData> columns = new ArrayList<>();
    if (md != null) {
      for (int i = 1; i <= md.getColumnCount(); i++) {
        int type = md.getColumnType(i);
        String typeName = md.getColumnTypeName(i);
        if (type == Types.OTHER || type == Types.JAVA_OBJECT || type == Types.STRUCT) {
          type = Types.VARCHAR; // maps and structs travel as their text form
          typeName = "VARCHAR";
        }
        SqlType sqlType = SqlType.valueOf(type);
        ColumnMetaData.Rep rep = ColumnMetaData.Rep.of(sqlType.internal);
        ColumnMetaData.AvaticaType t = type == Types.ARRAY ? ArrayComponent.arrayType(ArrayComponent.of(typeName))
            : ColumnMetaData.scalar(type, typeName, rep);
        columns.add(new ColumnMetaData(i - 1, false, true, true, false, md.isNullable(i), md.isSigned(i),
            md.getColumnDisplaySize(i), md.getColumnLabel(i), md.getColumnName(i), md.getSchemaName(i),
            md.getPrecision(i), md.getScale(i), md.getTableName(i), md.getCatalogName(i), t, true, false, false,
            type == Types.VARCHAR ? String.class.getName() : md.getColumnClassName(i)));
      }
    }
    List<AvaticaParameter> params = new ArrayList<>();
    if (pmd != null) {
      for (int i = 1; i <= pmd.getParameterCount(); i++) {
        params.add(new AvaticaParameter(pmd.isSigned(i), pmd.getPrecision(i), pmd.getScale(i),
            pmd.getParameterType(i), pmd.getParameterTypeName(i), pmd.getParameterClassName(i), "?" + i));
      }
    }
    return Signature.create(columns, sql, params, CursorFactory.LIST, StatementType.SELECT);
  }
}
