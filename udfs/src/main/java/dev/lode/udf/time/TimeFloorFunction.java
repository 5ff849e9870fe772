package dev.lode.udf.time;

import dev.lode.sql.schema.PushedFunction;
import org.apache.calcite.sql.SqlCall;
import org.apache.calcite.sql.SqlWriter;
import org.apache.calcite.sql.type.OperandTypes;
import org.apache.calcite.sql.type.ReturnTypes;
import org.apache.calcite.sql.type.SqlTypeFamily;

/**
 * Druid's {@code TIME_FLOOR(ts, period)}: {@code ts} rounded down to a multiple of an ISO-8601
 * period counted from 1970-01-01 UTC (weeks from Monday), as ClickHouse's
 * {@code toStartOfInterval(ts, INTERVAL n UNIT)}.
 */
public final class TimeFloorFunction extends PushedFunction {
  public TimeFloorFunction() {
    super("TIME_FLOOR", ReturnTypes.ARG0_NULLABLE, OperandTypes.family(SqlTypeFamily.TIMESTAMP, SqlTypeFamily.CHARACTER));
  }

  @Override
  public void unparse(SqlWriter writer, SqlCall call, int leftPrec, int rightPrec) {
    IsoPeriod p = IsoPeriod.parse(Literals.text(call, 1, "TIME_FLOOR", "period"));
    // a day or coarser interval yields a Date in ClickHouse: the column stays a UTC DateTime64(3)
    writer.print("toDateTime64(toStartOfInterval(");
    call.operand(0).unparse(writer, 0, 0);
    writer.print(", " + p.interval() + "), 3, 'UTC')");
    writer.setNeedWhitespace(true);
  }
}
