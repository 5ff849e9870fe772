package dev.lode.udf.clickhouse;

import dev.lode.sql.schema.PushedFunction;
import org.apache.calcite.sql.SqlCall;
import org.apache.calcite.sql.SqlWriter;
import org.apache.calcite.sql.type.SqlOperandTypeChecker;
import org.apache.calcite.sql.type.SqlReturnTypeInference;

/** A ClickHouse scalar function called by its own name, pushed down as {@code name(args)} with ClickHouse's spelling. */
public final class NativeScalar extends PushedFunction {
  private final String clickHouseName;

  NativeScalar(String clickHouseName, SqlReturnTypeInference returnType, SqlOperandTypeChecker operands) {
    super(clickHouseName.toUpperCase(java.util.Locale.ROOT), returnType, operands);
    this.clickHouseName = clickHouseName;
  }

  /** The function's ClickHouse name, as users write it (e.g. {@code toStartOfMonth}). */
  public String clickHouseName() {
    return clickHouseName;
  }

  @Override
  public void unparse(SqlWriter writer, SqlCall call, int leftPrec, int rightPrec) {
    call(writer, clickHouseName, call);
  }
}
