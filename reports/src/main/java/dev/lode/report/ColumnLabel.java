package dev.lode.report;

/**
 * What a reader calls a result column and how its values are shown, declared in the report
 * header as {@code -- column: avg_order_value | Average order value | currency}.
 */
public record ColumnLabel(String column, String label, ColumnFormat format) {

  /** Parses the {@code column:} header value {@code name | Label [| format]}. */
  public static ColumnLabel parse(String text) {
    String[] parts = text.split("\\|", -1);
    if (parts.length < 2 || parts[0].isBlank() || parts[1].isBlank()) {
      throw new IllegalArgumentException("column '" + text + "' must read 'name | Label [| format]'");
    }
    ColumnFormat f = parts.length > 2 && !parts[2].isBlank() ? ColumnFormat.of(parts[2]) : null;
    return new ColumnLabel(parts[0].strip(), parts[1].strip(), f);
  }
}
