package dev.lode.sql.schema;

import org.apache.calcite.sql.SqlCall;
import org.apache.calcite.sql.SqlFunction;
import org.apache.calcite.sql.SqlFunctionCategory;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.SqlWriter;
import org.apache.calcite.sql.type.ReturnTypes;

/**
 * A ClickHouse function that {@link ClickHouseDialect} substitutes for a Calcite expression
 * when generating SQL; written by its exact name, since ClickHouse function names are
 * case-sensitive and Calcite would upper-case a plain function's name.
 */
final class ClickHouseFunction extends SqlFunction {
  /** {@code dateDiff(unit, start, end)}: boundaries of {@code unit} crossed, exact in milliseconds. */
  static final ClickHouseFunction DATE_DIFF = new ClickHouseFunction("dateDiff");
  /** {@code age(unit, start, end)}: whole units elapsed (months for a year-month interval). */
  static final ClickHouseFunction AGE = new ClickHouseFunction("age");

  /** {@code intDiv(a, b)}: integer division truncating toward zero. */
  static final ClickHouseFunction INT_DIV = new ClickHouseFunction("intDiv");

  /** {@code fromUnixTimestamp64Milli(ms, 'UTC')}: a bound TIMESTAMP's epoch milliseconds as a DateTime64(3). */
  static final ClickHouseFunction FROM_MILLIS = new ClickHouseFunction("fromUnixTimestamp64Milli");
  /** {@code toDate32(days)}: a bound DATE's day number (toDate would read numbers over 65535 as seconds). */
  static final ClickHouseFunction TO_DATE32 = new ClickHouseFunction("toDate32");

  private ClickHouseFunction(String name) {
    super(name, SqlKind.OTHER_FUNCTION, ReturnTypes.ARG0, null, null, SqlFunctionCategory.SYSTEM);
  }

  /** {@code toInterval<Unit>(n)}, for example {@code toIntervalDay}. */
  static ClickHouseFunction toInterval(String unit) {
    return new ClickHouseFunction("toInterval" + unit.charAt(0) + unit.substring(1).toLowerCase(java.util.Locale.ROOT));
  }

  @Override
  public void unparse(SqlWriter writer, SqlCall call, int leftPrec, int rightPrec) {
    writer.print(getName());
    SqlWriter.Frame frame = writer.startList("(", ")");
    for (SqlNode operand : call.getOperandList()) {
      writer.sep(",");
      operand.unparse(writer, 0, 0);
    }
    writer.endList(frame);
  }
}
