package dev.lode.udf.time;

import dev.lode.sql.schema.PushedFunction;
import org.apache.calcite.sql.SqlCall;
import org.apache.calcite.sql.SqlWriter;
import org.apache.calcite.sql.type.OperandTypes;
import org.apache.calcite.sql.type.ReturnTypes;
import org.apache.calcite.sql.type.SqlTypeFamily;
import org.apache.calcite.sql.type.SqlTypeName;
import org.apache.calcite.sql.type.SqlTypeTransforms;

/** Druid's {@code MILLIS_TO_TIMESTAMP(ms)}: epoch milliseconds as a UTC timestamp, ClickHouse's {@code fromUnixTimestamp64Milli}. */
public final class MillisToTimestampFunction extends PushedFunction {
  public MillisToTimestampFunction() {
    super("MILLIS_TO_TIMESTAMP", ReturnTypes.explicit(SqlTypeName.TIMESTAMP, 3).andThen(SqlTypeTransforms.TO_NULLABLE),
        OperandTypes.family(SqlTypeFamily.INTEGER));
  }

  @Override
  public void unparse(SqlWriter writer, SqlCall call, int leftPrec, int rightPrec) {
    writer.print("fromUnixTimestamp64Milli(toInt64(");
    call.operand(0).unparse(writer, 0, 0);
    writer.print("), 'UTC')");
    writer.setNeedWhitespace(true);
  }
}
