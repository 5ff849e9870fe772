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
 * Druid's {@code TIME_FORMAT(ts[, pattern[, zone]])}: {@code ts} written with a Joda pattern as
 * the clock in {@code zone} (UTC by default) shows it, as ClickHouse's
 * {@code formatDateTimeInJodaSyntax}; without a pattern, ISO-8601 in UTC
 * ({@code 2011-06-01T12:00:00.000Z}, Druid's default).
 */
public final class TimeFormatFunction extends PushedFunction {
  private static final String ISO = "'yyyy-MM-dd''T''HH:mm:ss.SSS''Z'''";

  public TimeFormatFunction() {
    super("TIME_FORMAT", ReturnTypes.explicit(SqlTypeName.VARCHAR).andThen(SqlTypeTransforms.TO_NULLABLE),
        OperandTypes.or(OperandTypes.family(SqlTypeFamily.DATETIME),
            OperandTypes.family(SqlTypeFamily.DATETIME, SqlTypeFamily.CHARACTER),
            OperandTypes.family(SqlTypeFamily.DATETIME, SqlTypeFamily.CHARACTER, SqlTypeFamily.CHARACTER)));
  }

  @Override
  public void unparse(SqlWriter writer, SqlCall call, int leftPrec, int rightPrec) {
    // fractional seconds (SSS) need a DateTime64
    writer.print("formatDateTimeInJodaSyntax(toDateTime64(");
    call.operand(0).unparse(writer, 0, 0);
    writer.print(", 3, 'UTC'), ");
    if (call.operandCount() == 1) {
      writer.print(ISO + ", 'UTC'");
    } else {
      call.operand(1).unparse(writer, 0, 0);
      writer.print(", ");
      if (call.operandCount() == 3) {
        call.operand(2).unparse(writer, 0, 0);
      } else {
        writer.print("'UTC'");
      }
    }
    writer.print(")");
    writer.setNeedWhitespace(true);
  }
}
