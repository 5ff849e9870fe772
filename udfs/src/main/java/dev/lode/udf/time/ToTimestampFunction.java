package dev.lode.udf.time;

import dev.lode.sql.schema.PushedFunction;
import org.apache.calcite.sql.SqlCall;
import org.apache.calcite.sql.SqlWriter;
import org.apache.calcite.sql.type.OperandTypes;
import org.apache.calcite.sql.type.ReturnTypes;
import org.apache.calcite.sql.type.SqlTypeFamily;
import org.apache.calcite.sql.type.SqlTypeName;
import org.apache.calcite.sql.type.SqlTypeTransforms;

/**
 * Phoenix's {@code TO_TIMESTAMP(text[, pattern])} (Superset's Phoenix engine spec emits it): text
 * read as a UTC timestamp with a Java/Joda pattern such as {@code 'yyyy-MM-dd HH:mm:ss'}, as
 * ClickHouse's {@code parseDateTime64InJodaSyntax}; without a pattern, any common layout, as
 * {@code parseDateTime64BestEffort}. Text that does not match fails the query.
 */
public final class ToTimestampFunction extends PushedFunction {
  public ToTimestampFunction() {
    super("TO_TIMESTAMP", ReturnTypes.explicit(SqlTypeName.TIMESTAMP, 3).andThen(SqlTypeTransforms.TO_NULLABLE),
        OperandTypes.or(OperandTypes.family(SqlTypeFamily.CHARACTER),
            OperandTypes.family(SqlTypeFamily.CHARACTER, SqlTypeFamily.CHARACTER)));
  }

  @Override
  public void unparse(SqlWriter writer, SqlCall call, int leftPrec, int rightPrec) {
    TextTimestampSql.unparse(writer, call, false, -1);
    writer.setNeedWhitespace(true);
  }
}
