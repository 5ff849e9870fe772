package dev.lode.sql.schema;

import java.time.ZoneId;
import java.time.ZoneOffset;
import org.apache.calcite.sql.SqlCall;
import org.apache.calcite.sql.SqlCharStringLiteral;
import org.apache.calcite.sql.SqlWriter;
import org.apache.calcite.sql.type.OperandTypes;
import org.apache.calcite.sql.type.ReturnTypes;
import org.apache.calcite.sql.type.SqlTypeFamily;

/**
 * A stored instant as the wall-clock time of the connection's time zone, labelled UTC:
 * Calcite's TIMESTAMP has no zone, so a session in {@code America/Los_Angeles} must see,
 * group, truncate and compare local times, as Druid's {@code sqlTimeZone} does. Written as
 * ClickHouse arithmetic (the zone's offset at that instant added to it), so the stored
 * column and every function over it stay in ClickHouse.
 */
final class SessionWallClock extends PushedFunction {
  static final SessionWallClock INSTANCE = new SessionWallClock();

  private SessionWallClock() {
    super("LODE_SESSION_WALL_CLOCK", ReturnTypes.ARG0,
        OperandTypes.family(SqlTypeFamily.TIMESTAMP, SqlTypeFamily.CHARACTER));
  }

  @Override
  public void unparse(SqlWriter writer, SqlCall call, int leftPrec, int rightPrec) {
    String zoneId = ((SqlCharStringLiteral) call.operand(1)).getValueAs(String.class);
    ZoneId zone = ZoneId.of(zoneId);
    writer.print("addSeconds(");
    call.operand(0).unparse(writer, 0, 0);
    writer.print(", ");
    if (zone instanceof ZoneOffset offset) {
      // a fixed offset needs no time-zone database, and ClickHouse names offsets differently
      writer.print(Integer.toString(offset.getTotalSeconds()));
    } else {
      writer.print("timeZoneOffset(toTimeZone(");
      call.operand(0).unparse(writer, 0, 0);
      writer.print(", ");
      call.operand(1).unparse(writer, 0, 0);
      writer.print("))");
    }
    writer.print(")");
    writer.setNeedWhitespace(true);
  }
}
