package dev.lode.sql.schema;

import java.time.Duration;
import javax.sql.DataSource;
import org.apache.calcite.adapter.jdbc.JdbcConvention;
import org.apache.calcite.adapter.jdbc.JdbcSchema;
import org.apache.calcite.schema.Table;
import org.apache.calcite.schema.lookup.LoadingCacheLookup;
import org.apache.calcite.schema.lookup.Lookup;

/**
 * The warehouse database as Calcite's JDBC schema, with table lookups cached for a minute:
 * the stock schema asks ClickHouse's metadata for a table (and its columns) on every query
 * that names it; tables added by a migration appear within the minute.
 */
final class WarehouseSchema extends JdbcSchema {
  private final Lookup<Table> cached;

  WarehouseSchema(DataSource dataSource, JdbcConvention convention, String database) {
    super(dataSource, ClickHouseDialect.INSTANCE, convention, null, database);
    this.cached = new LoadingCacheLookup<>(super.tables(), Duration.ofMinutes(1));
  }

  @Override
  public Lookup<Table> tables() {
    return cached;
  }
}
