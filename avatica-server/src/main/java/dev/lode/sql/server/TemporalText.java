package dev.lode.sql.server;

import java.sql.Types;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoField;
import org.apache.calcite.avatica.ColumnMetaData;
import org.apache.calcite.avatica.remote.TypedValue;

/**
 * Text bound to a TIMESTAMP or DATE parameter, read as the UTC wall-clock time it writes and
 * bound as that time: Metabase's druid-jdbc sends temporal parameters as
 * {@code '2034-01-10 00:00:00.000'} strings, which ClickHouse would otherwise be asked to compare
 * with a DateTime as text. Accepts {@code yyyy-MM-dd}, with {@code HH:mm[:ss[.fraction]]} after a
 * space or {@code T}, and an optional trailing {@code Z}.
 */
final class TemporalText {
  private static final DateTimeFormatter FORMAT = new DateTimeFormatterBuilder()
      .append(DateTimeFormatter.ISO_LOCAL_DATE)
      .optionalStart().optionalStart().appendLiteral('T').optionalEnd().optionalStart().appendLiteral(' ').optionalEnd()
      .appendPattern("HH:mm").optionalStart().appendPattern(":ss")
      .optionalStart().appendFraction(ChronoField.NANO_OF_SECOND, 0, 9, true).optionalEnd().optionalEnd()
      .optionalEnd()
      .optionalStart().appendLiteral('Z').optionalEnd()
      .parseDefaulting(ChronoField.HOUR_OF_DAY, 0)
      .toFormatter(java.util.Locale.ROOT);

  private TemporalText() {
  }

  /**
   * {@code value} as the parameter's declared type when it is text bound to a TIMESTAMP or DATE
   * parameter ({@code jdbcType} a {@link Types} code); otherwise {@code value} unchanged.
   */
  static TypedValue bind(TypedValue value, int jdbcType, int position) {
    if (value == null || value.type != ColumnMetaData.Rep.STRING || value.value == null
        || jdbcType != Types.TIMESTAMP && jdbcType != Types.DATE) {
      return value;
    }
    String text = value.value.toString().trim();
    LocalDateTime time;
    try {
      time = LocalDateTime.parse(text, FORMAT);
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException("parameter " + position + ": '" + text + "' is not a "
          + (jdbcType == Types.DATE ? "date" : "timestamp") + "; write yyyy-MM-dd[ HH:mm[:ss[.SSS]]]", e);
    }
    if (jdbcType == Types.DATE) {
      LocalDate day = time.toLocalDate();
      return TypedValue.ofLocal(ColumnMetaData.Rep.JAVA_SQL_DATE, (int) day.toEpochDay());
    }
    return TypedValue.ofLocal(ColumnMetaData.Rep.JAVA_SQL_TIMESTAMP, time.toInstant(ZoneOffset.UTC).toEpochMilli());
  }
}
