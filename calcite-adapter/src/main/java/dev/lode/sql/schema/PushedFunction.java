package dev.lode.sql.schema;

import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.sql.SqlCall;
import org.apache.calcite.sql.SqlFunction;
import org.apache.calcite.sql.SqlFunctionCategory;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.SqlWriter;
import org.apache.calcite.sql.type.SqlOperandTypeChecker;
import org.apache.calcite.sql.type.SqlReturnTypeInference;
import org.apache.calcite.sql.validate.SqlValidator;
import org.apache.calcite.sql.validate.SqlValidatorScope;

/**
 * A scalar function that exists only as the ClickHouse SQL it is written as: it is a system
 * (not user-defined) function, so Calcite's JDBC rules push every filter and projection that
 * calls it down to ClickHouse, and it has no JVM implementation (a plan that cannot push it
 * down fails instead of computing something else). Subclasses write the ClickHouse call in
 * {@link #unparse}; {@link NativeCalls} puts them into parse trees.
 */
public abstract class PushedFunction extends SqlFunction {
  protected PushedFunction(String name, SqlReturnTypeInference returnType, SqlOperandTypeChecker operands) {
    super(name, SqlKind.OTHER_FUNCTION, returnType, null, operands, SqlFunctionCategory.SYSTEM);
  }

  /**
   * Types the call with this operator itself: the stock derivation would look the name up again
   * in the connection's operator table, which does not hold Lode's functions.
   */
  @Override
  public RelDataType deriveType(SqlValidator validator, SqlValidatorScope scope, SqlCall call) {
    for (SqlNode operand : call.getOperandList()) {
      validator.deriveType(scope, operand);
    }
    return validateOperands(validator, scope, call);
  }

  /** Writes {@code name(operand, …)} with the operands as given. */
  protected static void call(SqlWriter writer, String name, SqlCall call) {
    writer.print(name);
    SqlWriter.Frame frame = writer.startList("(", ")");
    for (SqlNode operand : call.getOperandList()) {
      writer.sep(",");
      operand.unparse(writer, 0, 0);
    }
    writer.endList(frame);
  }
}
