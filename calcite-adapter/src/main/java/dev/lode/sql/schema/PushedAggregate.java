package dev.lode.sql.schema;

import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.sql.SqlAggFunction;
import org.apache.calcite.sql.SqlCall;
import org.apache.calcite.sql.SqlFunctionCategory;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.SqlWriter;
import org.apache.calcite.sql.type.SqlOperandTypeChecker;
import org.apache.calcite.sql.type.SqlReturnTypeInference;
import org.apache.calcite.sql.validate.SqlValidator;
import org.apache.calcite.sql.validate.SqlValidatorScope;

/**
 * An aggregate that exists only as ClickHouse SQL ({@code countIf}, {@code uniq}, …): of kind
 * OTHER_FUNCTION, which {@link ClickHouseDialect} lets the JDBC rules push down, written by its
 * exact ClickHouse name; with no JVM implementation, a plan that cannot push it down fails.
 */
public class PushedAggregate extends SqlAggFunction {
  private final String clickHouseName;

  public PushedAggregate(String clickHouseName, SqlReturnTypeInference returnType, SqlOperandTypeChecker operands) {
    super(clickHouseName.toUpperCase(java.util.Locale.ROOT), null, SqlKind.OTHER_FUNCTION, returnType, null, operands,
        SqlFunctionCategory.SYSTEM, false, false, org.apache.calcite.util.Optionality.FORBIDDEN);
    this.clickHouseName = clickHouseName;
  }

  /** The function's ClickHouse name, as users write it (e.g. {@code countIf}). */
  public String clickHouseName() {
    return clickHouseName;
  }

  /** Types the call with this operator itself (the connection's operator table does not hold it). */
  @Override
  public RelDataType deriveType(SqlValidator validator, SqlValidatorScope scope, SqlCall call) {
    for (SqlNode operand : call.getOperandList()) {
      validator.deriveType(scope, operand);
    }
    return validateOperands(validator, scope, call);
  }

  @Override
  public void unparse(SqlWriter writer, SqlCall call, int leftPrec, int rightPrec) {
    PushedFunction.call(writer, clickHouseName, call);
  }
}
