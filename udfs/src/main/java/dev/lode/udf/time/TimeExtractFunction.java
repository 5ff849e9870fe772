package dev.lode.udf.time;

import dev.lode.sql.schema.PushedFunction;
import java.util.Locale;
import java.util.Map;
import org.apache.calcite.sql.SqlCall;
import org.apache.calcite.sql.SqlWriter;
import org.apache.calcite.sql.type.OperandTypes;
import org.apache.calcite.sql.type.ReturnTypes;
import org.apache.calcite.sql.type.SqlTypeFamily;
import org.apache.calcite.sql.type.SqlTypeTransforms;

/**
 * Druid's {@code TIME_EXTRACT(ts, unit)}: one field of {@code ts} in UTC as a BIGINT — EPOCH
 * (seconds), SECOND, MINUTE, HOUR, DAY (of month), DOW and ISODOW (1 = Monday … 7 = Sunday),
 * DOY, WEEK (ISO week), MONTH, QUARTER, YEAR — as ClickHouse's {@code toHour(ts)} and friends.
 */
public final class TimeExtractFunction extends PushedFunction {
  private static final Map<String, String> UNITS = Map.ofEntries(Map.entry("EPOCH", "toUnixTimestamp"),
      Map.entry("SECOND", "toSecond"), Map.entry("MINUTE", "toMinute"), Map.entry("HOUR", "toHour"),
      Map.entry("DAY", "toDayOfMonth"), Map.entry("DOW", "toDayOfWeek"), Map.entry("ISODOW", "toDayOfWeek"),
      Map.entry("DOY", "toDayOfYear"), Map.entry("WEEK", "toISOWeek"), Map.entry("MONTH", "toMonth"),
      Map.entry("QUARTER", "toQuarter"), Map.entry("YEAR", "toYear"));

  public TimeExtractFunction() {
    super("TIME_EXTRACT", ReturnTypes.BIGINT.andThen(SqlTypeTransforms.TO_NULLABLE),
        OperandTypes.family(SqlTypeFamily.TIMESTAMP, SqlTypeFamily.CHARACTER));
  }

  @Override
  public void unparse(SqlWriter writer, SqlCall call, int leftPrec, int rightPrec) {
    String unit = Literals.text(call, 1, "TIME_EXTRACT", "unit").toUpperCase(Locale.ROOT);
    String f = UNITS.get(unit);
    if (f == null) {
      throw new IllegalArgumentException("TIME_EXTRACT: unknown unit '" + unit + "'; use one of "
          + String.join(", ", new java.util.TreeSet<>(UNITS.keySet())));
    }
    writer.print("toInt64(" + f + "(");
    call.operand(0).unparse(writer, 0, 0);
    writer.print("))");
    writer.setNeedWhitespace(true);
  }
}
