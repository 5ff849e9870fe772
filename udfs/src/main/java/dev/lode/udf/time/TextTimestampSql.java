package dev.lode.udf.time;

import org.apache.calcite.sql.SqlCall;
import org.apache.calcite.sql.SqlWriter;

/**
 * The ClickHouse text-to-timestamp call that Druid's {@code TIME_PARSE} and Phoenix's
 * {@code TO_TIMESTAMP} both unparse to: best-effort parsing without a pattern, Joda syntax with
 * one, in a zone (UTC unless given), either failing or NULL on text that does not parse.
 */
final class TextTimestampSql {
  private TextTimestampSql() {
  }

  /**
   * Writes {@code parseDateTime64BestEffort[OrNull](text, 3, 'UTC')} or
   * {@code parseDateTime64InJodaSyntax[OrNull](text, pattern, zone)}.
   *
   * @param zoneOperand index of the zone operand, or -1 when the function takes none
   */
  static void unparse(SqlWriter writer, SqlCall call, boolean nullOnBadText, int zoneOperand) {
    String orNull = nullOnBadText ? "OrNull" : "";
    if (call.operandCount() == 1) {
      writer.print("parseDateTime64BestEffort" + orNull + "(");
      call.operand(0).unparse(writer, 0, 0);
      writer.print(", 3, 'UTC')");
      return;
    }
    writer.print("parseDateTime64InJodaSyntax" + orNull + "(");
    call.operand(0).unparse(writer, 0, 0);
    writer.print(", ");
    call.operand(1).unparse(writer, 0, 0);
    writer.print(", ");
    if (zoneOperand >= 0 && call.operandCount() > zoneOperand) {
      call.operand(zoneOperand).unparse(writer, 0, 0);
    } else {
      writer.print("'UTC'");
    }
    writer.print(")");
  }
}
