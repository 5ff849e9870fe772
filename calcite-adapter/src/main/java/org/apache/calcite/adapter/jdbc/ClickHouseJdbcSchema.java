package org.apache.calcite.adapter.jdbc;

import java.sql.DatabaseMetaData;
import java.sql.SQLException;
import java.time.Duration;
import javax.sql.DataSource;
import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.rel.type.RelDataTypeFactory;
import org.apache.calcite.rel.type.RelDataTypeField;
import org.apache.calcite.rel.type.RelProtoDataType;
import org.apache.calcite.schema.Table;
import org.apache.calcite.schema.lookup.LoadingCacheLookup;
import org.apache.calcite.schema.lookup.Lookup;
import org.apache.calcite.sql.SqlDialect;
import org.apache.calcite.sql.type.SqlTypeName;

/**
 * Calcite's JDBC schema over a ClickHouse database, with two corrections that need
 * package-private hooks (hence this class in Calcite's package): clickhouse-jdbc reports a
 * {@code String} column with size 0, which Calcite reads as {@code VARCHAR(0)}, and a
 * {@code DateTime64(3)} with scale 0; they become unbounded VARCHAR and TIMESTAMP(3), so
 * they compare and join with other relations without casts. Table lookups are cached for a
 * minute, since the stock schema asks the warehouse's metadata on every query naming a table.
 */
public final class ClickHouseJdbcSchema extends JdbcSchema {
  private final Lookup<Table> cached;

  public ClickHouseJdbcSchema(DataSource dataSource, SqlDialect dialect, JdbcConvention convention, String database) {
    super(dataSource, dialect, convention, null, database);
    this.cached = new LoadingCacheLookup<>(super.tables(), Duration.ofMinutes(1));
  }

  @Override
  public Lookup<Table> tables() {
    return cached;
  }

  @Override
  RelProtoDataType getRelDataType(DatabaseMetaData metaData, String catalogName, String schemaName, String tableName)
      throws SQLException {
    RelProtoDataType proto = super.getRelDataType(metaData, catalogName, schemaName, tableName);
    return typeFactory -> {
      RelDataType row = proto.apply(typeFactory);
      RelDataTypeFactory.Builder b = typeFactory.builder();
      for (RelDataTypeField f : row.getFieldList()) {
        b.add(f.getName(), corrected(typeFactory, f.getType()));
      }
      return b.build();
    };
  }

  private static RelDataType corrected(RelDataTypeFactory tf, RelDataType t) {
    RelDataType fixed = switch (t.getSqlTypeName()) {
      case VARCHAR, CHAR -> tf.createSqlType(SqlTypeName.VARCHAR);
      case TIMESTAMP -> t.getPrecision() < 3 ? tf.createSqlType(SqlTypeName.TIMESTAMP, 3) : t;
      default -> t;
    };
    return tf.createTypeWithNullability(fixed, t.isNullable());
  }
}
