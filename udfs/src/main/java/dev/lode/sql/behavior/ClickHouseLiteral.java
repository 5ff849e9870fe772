package dev.lode.sql.behavior;

import dev.lode.warehouse.SqlLiteral;

/** Quotes user-supplied values as ClickHouse string literals; the only way arguments reach generated SQL. */
final class ClickHouseLiteral {
  private ClickHouseLiteral() {
  }

  /** {@code 'value'} escaped as ClickHouse reads it; the one escaping rule is {@link SqlLiteral#string}. */
  static String string(String value) {
    return SqlLiteral.string(value);
  }
}
