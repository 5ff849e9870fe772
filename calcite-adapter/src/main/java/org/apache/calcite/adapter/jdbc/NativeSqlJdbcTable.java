package org.apache.calcite.adapter.jdbc;

import org.apache.calcite.schema.Schema;
import org.apache.calcite.sql.SqlIdentifier;

/**
 * Lets a native ClickHouse query stand where Calcite's SQL generator looks up a JDBC table's
 * name: {@code RelToSqlConverter} asks a scanned table for {@link JdbcTable#tableName()},
 * whose constructor is package-private, hence this one class in Calcite's package. Lode's
 * {@code NativeQueryTable} unwraps to it; nothing else of JdbcTable is used.
 */
public final class NativeSqlJdbcTable extends JdbcTable {
  private final SqlIdentifier node;

  public NativeSqlJdbcTable(JdbcSchema schema, String name, SqlIdentifier node) {
    super(schema, null, null, name, Schema.TableType.VIEW);
    this.node = node;
  }

  @Override
  public SqlIdentifier tableName() {
    return node;
  }
}
