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
 * Druid's {@code TIME_PARSE(text[, pattern[, zone]])}: text read with a Joda pattern (without
 * one, any ISO-8601 or other common layout) in {@code zone} (UTC by default), as ClickHouse's
 * {@code parseDateTime64InJodaSyntaxOrNull} / {@code parseDateTime64BestEffortOrNull}; text that
 * does not parse is NULL, as in Druid.
 */
public final class TimeParseFunction extends PushedFunction {
  public TimeParseFunction() {
    super("TIME_PARSE", ReturnTypes.explicit(SqlTypeName.TIMESTAMP, 3).andThen(SqlTypeTransforms.FORCE_NULLABLE),
        OperandTypes.or(OperandTypes.family(SqlTypeFamily.CHARACTER),
            OperandTypes.family(SqlTypeFamily.CHARACTER, SqlTypeFamily.CHARACTER),
            OperandTypes.family(SqlTypeFamily.CHARACTER, SqlTypeFamily.CHARACTER, SqlTypeFamily.CHARACTER)));
  }

  @Override
  public void unparse(SqlWriter writer, SqlCall call, int leftPrec, int rightPrec) {
    writer.print("toDateTime64(");
    TextTimestampSql.unparse(writer, call, true, 2);
    writer.print(", 3, 'UTC')");
    writer.setNeedWhitespace(true);
  }
}
