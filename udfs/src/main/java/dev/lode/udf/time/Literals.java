package dev.lode.udf.time;

import org.apache.calcite.sql.SqlCall;
import org.apache.calcite.sql.SqlCharStringLiteral;
import org.apache.calcite.sql.SqlNode;

/** The constant text argument (a period, a unit, a pattern) a function needs while its ClickHouse SQL is written. */
final class Literals {
  private Literals() {
  }

  static String text(SqlCall call, int operand, String function, String what) {
    SqlNode n = call.operand(operand);
    if (n instanceof SqlCharStringLiteral l) {
      return l.getValueAs(String.class);
    }
    throw new IllegalArgumentException(function + ": the " + what + " must be a string literal, not " + n);
  }
}
