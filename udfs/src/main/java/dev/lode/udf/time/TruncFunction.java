package dev.lode.udf.time;

import dev.lode.sql.schema.PushedFunction;
import java.util.Locale;
import java.util.Map;
import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.sql.SqlCall;
import org.apache.calcite.sql.SqlWriter;
import org.apache.calcite.sql.type.OperandTypes;
import org.apache.calcite.sql.type.ReturnTypes;
import org.apache.calcite.sql.type.SqlTypeFamily;
import org.apache.calcite.sql.type.SqlTypeName;
import org.apache.calcite.sql.type.SqlTypeTransforms;
import org.apache.calcite.sql.validate.SqlValidator;
import org.apache.calcite.sql.validate.SqlValidatorScope;

/**
 * Phoenix's {@code TRUNC(ts, 'UNIT')} (Superset's Phoenix time grains): {@code ts} rounded down
 * to the start of its SECOND, MINUTE, HOUR, DAY, WEEK (Monday, as Phoenix's ISO weeks), MONTH,
 * QUARTER or YEAR in UTC, a TIMESTAMP.
 */
public final class TruncFunction extends PushedFunction {
  private static final Map<String, String> GRAINS = Map.of("SECOND", "toStartOfInterval(%s, INTERVAL 1 SECOND)",
      "MINUTE", "toStartOfMinute(%s)", "HOUR", "toStartOfHour(%s)", "DAY", "toStartOfDay(%s)",
      "WEEK", "toMonday(%s)", "MONTH", "toStartOfMonth(%s)", "QUARTER", "toStartOfQuarter(%s)",
      "YEAR", "toStartOfYear(%s)");

  public TruncFunction() {
    super("TRUNC", ReturnTypes.explicit(SqlTypeName.TIMESTAMP, 3).andThen(SqlTypeTransforms.TO_NULLABLE),
        OperandTypes.family(SqlTypeFamily.DATETIME, SqlTypeFamily.CHARACTER));
  }

  /** Checks the unit while the statement is validated, so a wrong one is the user's error, not a failed plan. */
  @Override
  public RelDataType deriveType(SqlValidator validator, SqlValidatorScope scope, SqlCall call) {
    grain(call);
    return super.deriveType(validator, scope, call);
  }

  private static String grain(SqlCall call) {
    String unit = Literals.text(call, 1, "TRUNC", "unit").toUpperCase(Locale.ROOT);
    String grain = GRAINS.get(unit);
    if (grain == null) {
      throw new IllegalArgumentException("TRUNC: unknown unit '" + unit + "'; use one of "
          + String.join(", ", new java.util.TreeSet<>(GRAINS.keySet())));
    }
    return grain;
  }

  @Override
  public void unparse(SqlWriter writer, SqlCall call, int leftPrec, int rightPrec) {
    String[] around = grain(call).split("%s");
    writer.print("toDateTime64(" + around[0]);
    call.operand(0).unparse(writer, 0, 0);
    writer.print(around[1] + ", 3, 'UTC')");
    writer.setNeedWhitespace(true);
  }
}
