package dev.lode.udf.time;

import dev.lode.sql.schema.PushedFunction;
import org.apache.calcite.sql.SqlCall;
import org.apache.calcite.sql.SqlWriter;
import org.apache.calcite.sql.type.OperandTypes;
import org.apache.calcite.sql.type.ReturnTypes;
import org.apache.calcite.sql.type.SqlTypeFamily;
import org.apache.calcite.sql.type.SqlTypeTransforms;

/** Druid's {@code TIMESTAMP_TO_MILLIS(ts)}: a timestamp's epoch milliseconds, ClickHouse's {@code toUnixTimestamp64Milli}. */
public final class TimestampToMillisFunction extends PushedFunction {
  public TimestampToMillisFunction() {
    super("TIMESTAMP_TO_MILLIS", ReturnTypes.BIGINT.andThen(SqlTypeTransforms.TO_NULLABLE),
        OperandTypes.family(SqlTypeFamily.TIMESTAMP));
  }

  @Override
  public void unparse(SqlWriter writer, SqlCall call, int leftPrec, int rightPrec) {
    writer.print("toUnixTimestamp64Milli(toDateTime64(");
    call.operand(0).unparse(writer, 0, 0);
    writer.print(", 3, 'UTC'))");
    writer.setNeedWhitespace(true);
  }
}
