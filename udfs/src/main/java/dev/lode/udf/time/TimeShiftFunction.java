package dev.lode.udf.time;

import dev.lode.sql.schema.PushedFunction;
import org.apache.calcite.sql.SqlCall;
import org.apache.calcite.sql.SqlWriter;
import org.apache.calcite.sql.type.OperandTypes;
import org.apache.calcite.sql.type.ReturnTypes;
import org.apache.calcite.sql.type.SqlTypeFamily;

/**
 * Druid's {@code TIME_SHIFT(ts, period, step)}: {@code ts} moved by {@code step} periods
 * (negative steps go back), as ClickHouse's {@code ts + toInterval<Unit>(n * step)}; months
 * and years keep the day of month where it exists, as both engines do.
 */
public final class TimeShiftFunction extends PushedFunction {
  public TimeShiftFunction() {
    super("TIME_SHIFT", ReturnTypes.ARG0_NULLABLE,
        OperandTypes.family(SqlTypeFamily.TIMESTAMP, SqlTypeFamily.CHARACTER, SqlTypeFamily.INTEGER));
  }

  @Override
  public void unparse(SqlWriter writer, SqlCall call, int leftPrec, int rightPrec) {
    IsoPeriod p = IsoPeriod.parse(Literals.text(call, 1, "TIME_SHIFT", "period"));
    String unit = p.unit().charAt(0) + p.unit().substring(1).toLowerCase(java.util.Locale.ROOT);
    writer.print("(");
    call.operand(0).unparse(writer, 0, 0);
    writer.print(" + toInterval" + unit + "(" + p.count() + " * (");
    call.operand(2).unparse(writer, 0, 0);
    writer.print(")))");
    writer.setNeedWhitespace(true);
  }
}
