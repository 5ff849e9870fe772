package dev.lode.udf.clickhouse;

import dev.lode.sql.schema.PushedAggregate;
import org.apache.calcite.sql.SqlCall;
import org.apache.calcite.sql.SqlWriter;
import org.apache.calcite.sql.type.OperandTypes;
import org.apache.calcite.sql.type.ReturnTypes;
import org.apache.calcite.sql.type.SqlTypeFamily;
import org.apache.calcite.sql.type.SqlTypeTransforms;

/**
 * {@code quantile(x, level)} and its kin ({@code quantileExact}, {@code quantileTDigest}, …):
 * ClickHouse's parametric {@code quantile(level)(x)}, spelled as an ordinary two-argument call
 * because standard SQL has no syntax for an aggregate's parameters; {@code level} must be a
 * numeric literal.
 */
final class QuantileAggregate extends PushedAggregate {

  QuantileAggregate(String clickHouseName) {
    super(clickHouseName, ReturnTypes.DOUBLE.andThen(SqlTypeTransforms.FORCE_NULLABLE),
        OperandTypes.family(SqlTypeFamily.NUMERIC, SqlTypeFamily.NUMERIC));
  }

  @Override
  public void unparse(SqlWriter writer, SqlCall call, int leftPrec, int rightPrec) {
    if (!(call.operand(1) instanceof org.apache.calcite.sql.SqlNumericLiteral)) {
      throw new IllegalArgumentException(clickHouseName() + "(x, level): level must be a number literal, not "
          + call.operand(1));
    }
    writer.print(clickHouseName() + "(" + call.operand(1) + ")(");
    call.operand(0).unparse(writer, 0, 0);
    writer.print(")");
    writer.setNeedWhitespace(true);
  }
}
