package dev.lode.sql.behavior;

/** Quotes user-supplied values as ClickHouse string literals; the only way arguments reach generated SQL. */
final class ClickHouseLiteral {
  private ClickHouseLiteral() {
  }

  /** {@code 'value'} with backslashes and quotes escaped as ClickHouse reads them. */
  static String string(String value) {
    StringBuilder b = new StringBuilder(value.length() + 2).append('\'');
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      switch (c) {
        case '\\' -> b.append("\\\\");
        case '\'' -> b.append("\\'");
        case '\n' -> b.append("\\n");
        case '\r' -> b.append("\\r");
        case '\t' -> b.append("\\t");
        case '\0' -> b.append("\\0");
        default -> b.append(c);
      }
    }
    return b.append('\'').toString();
  }
}
