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
 * Phoenix's {@code TO_DATE(text, pattern)} (Superset's Phoenix filters write
 * {@code TO_DATE('2024-01-31', 'yyyy-MM-dd')}): text read as a UTC time with a Java/Joda
 * pattern, as ClickHouse's {@code parseDateTime64InJodaSyntax}; a TIMESTAMP, since Phoenix's
 * DATE carries a time of day. Text that does not match fails the query.
 */
public final class ToDateFunction extends PushedFunction {
  public ToDateFunction() {
    super("TO_DATE", ReturnTypes.explicit(SqlTypeName.TIMESTAMP, 3).andThen(SqlTypeTransforms.TO_NULLABLE),
        OperandTypes.family(SqlTypeFamily.CHARACTER, SqlTypeFamily.CHARACTER));
  }

  @Override
  public void unparse(SqlWriter writer, SqlCall call, int leftPrec, int rightPrec) {
    writer.print("toDateTime64(parseDateTime64InJodaSyntax(");
    call.operand(0).unparse(writer, 0, 0);
    writer.print(", ");
    call.operand(1).unparse(writer, 0, 0);
    writer.print(", 'UTC'), 3, 'UTC')");
    writer.setNeedWhitespace(true);
  }
}
