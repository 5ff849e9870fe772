package dev.lode.sql.schema;

import org.apache.calcite.sql.SqlCall;
import org.apache.calcite.avatica.util.TimeUnitRange;
import org.apache.calcite.sql.SqlIntervalQualifier;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.SqlLiteral;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.SqlWriter;
import org.apache.calcite.sql.dialect.ClickHouseSqlDialect;

/**
 * Calcite's ClickHouse dialect with Lode's choices: {@code COUNT(DISTINCT x)} is sent as
 * ClickHouse's exact {@code uniqExact(x)}, so distinct counts never leave the engine and
 * never depend on the server's {@code count_distinct_implementation} setting.
 */
public class ClickHouseDialect extends ClickHouseSqlDialect {
  public static final ClickHouseDialect INSTANCE = new ClickHouseDialect();

  private ClickHouseDialect() {
    super(ClickHouseSqlDialect.DEFAULT_CONTEXT);
  }

  @Override
  public void unparseCall(SqlWriter writer, SqlCall call, int leftPrec, int rightPrec) {
    if (call.getKind() == SqlKind.COUNT && call.getFunctionQuantifier() != null
        && "DISTINCT".equalsIgnoreCase(call.getFunctionQuantifier().toValue())) {
      writer.print("uniqExact");
      SqlWriter.Frame f = writer.startList("(", ")");
      for (var operand : call.getOperandList()) {
        writer.sep(",");
        operand.unparse(writer, 0, 0);
      }
      writer.endList(f);
      return;
    }
    if (call.getKind() == SqlKind.FLOOR && call.operandCount() == 2) {
      SqlNode unit = call.operand(1);
      TimeUnitRange range = unit instanceof SqlIntervalQualifier q ? q.timeUnitRange
          : unit instanceof SqlLiteral l ? l.getValueAs(TimeUnitRange.class) : null;
      if (range != null) {
        unparseFloor(writer, call.operand(0), range);
        return;
      }
    }
    super.unparseCall(writer, call, leftPrec, rightPrec);
  }

  /**
   * {@code FLOOR(ts TO unit)} as a ClickHouse DateTime (Calcite's own ClickHouse dialect
   * yields a Date for DAY and coarser units, which a TIMESTAMP column cannot read); weeks
   * start on Monday.
   */
  private static void unparseFloor(SqlWriter writer, SqlNode operand, TimeUnitRange unit) {
    String[] wrap = switch (unit) {
      case YEAR -> new String[] {"toDateTime(toStartOfYear(", "), 'UTC')"};
      case QUARTER -> new String[] {"toDateTime(toStartOfQuarter(", "), 'UTC')"};
      case MONTH -> new String[] {"toDateTime(toStartOfMonth(", "), 'UTC')"};
      case WEEK -> new String[] {"toDateTime(toMonday(", "), 'UTC')"};
      case DAY -> new String[] {"toStartOfDay(", ")"};
      case HOUR -> new String[] {"toStartOfHour(", ")"};
      case MINUTE -> new String[] {"toStartOfMinute(", ")"};
      case SECOND -> new String[] {"toStartOfInterval(", ", INTERVAL 1 SECOND)"};
      default -> throw new UnsupportedOperationException("FLOOR to " + unit + " is not supported on ClickHouse");
    };
    writer.print(wrap[0]);
    operand.unparse(writer, 0, 0);
    writer.print(wrap[1]);
    writer.setNeedWhitespace(true);
  }
}
