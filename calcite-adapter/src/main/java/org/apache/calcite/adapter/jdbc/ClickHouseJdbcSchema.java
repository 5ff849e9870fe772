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
 * minute and the list of table names for a few seconds, since the stock schema asks the
 * warehouse's metadata (SHOW DATABASES, SHOW TABLES) for every statement naming a table.
 */
public final class ClickHouseJdbcSchema extends JdbcSchema {
  private final Lookup<Table> cached;

  public ClickHouseJdbcSchema(DataSource dataSource, SqlDialect dialect, JdbcConvention convention, String database) {
    super(dataSource, dialect, convention, null, database);
    this.cached = new NamesCachingLookup(new LoadingCacheLookup<>(super.tables(), Duration.ofMinutes(1)));
  }

  /** How long a list of table names is reused: a table created meanwhile is seen after at most this. */
  static final long NAMES_MILLIS = 5_000;

  /** A lookup whose list of names is reused for {@link #NAMES_MILLIS}; entries come from the delegate. */
  private static final class NamesCachingLookup implements Lookup<Table> {
    private final Lookup<Table> delegate;
    private final java.util.concurrent.ConcurrentHashMap<String, Names> names = new java.util.concurrent.ConcurrentHashMap<>();

    /** One listing and when it was made. */
    private record Names(long nanos, java.util.Set<String> names) {
    }

    NamesCachingLookup(Lookup<Table> delegate) {
      this.delegate = delegate;
    }

    @Override
    public Table get(String name) {
      return delegate.get(name);
    }

    @Override
    public org.apache.calcite.schema.lookup.Named<Table> getIgnoreCase(String name) {
      return delegate.getIgnoreCase(name);
    }

    @Override
    public java.util.Set<String> getNames(org.apache.calcite.schema.lookup.LikePattern pattern) {
      long now = System.nanoTime();
      Names n = names.get(pattern.pattern);
      if (n == null || now - n.nanos() > NAMES_MILLIS * 1_000_000) {
        n = new Names(now, java.util.Set.copyOf(delegate.getNames(pattern)));
        if (names.size() > 100) {
          names.clear();
        }
        names.put(pattern.pattern, n);
      }
      return n.names();
    }
  }

  @Override
  public Lookup<Table> tables() {
    return cached;
  }

  @Override
  RelProtoDataType getRelDataType(DatabaseMetaData metaData, String catalogName, String schemaName, String tableName)
      throws SQLException {
    RelProtoDataType proto = super.getRelDataType(metaData, catalogName, schemaName, tableName);
    java.util.Map<String, String> clickHouseTypes = new java.util.HashMap<>();
    try (java.sql.ResultSet rs = metaData.getColumns(catalogName, schemaName, tableName, null)) {
      while (rs.next()) {
        clickHouseTypes.put(rs.getString("COLUMN_NAME"), rs.getString("TYPE_NAME"));
      }
    }
    return typeFactory -> {
      RelDataType row = proto.apply(typeFactory);
      RelDataTypeFactory.Builder b = typeFactory.builder();
      for (RelDataTypeField f : row.getFieldList()) {
        RelDataType t = corrected(typeFactory, f.getType());
        if (t.getSqlTypeName() == SqlTypeName.ARRAY) {
          t = typedArray(typeFactory, t, clickHouseTypes.get(f.getName()));
        }
        b.add(f.getName(), t);
      }
      return b.build();
    };
  }

  /**
   * An array column with its element type: Calcite reads only {@code <type> ARRAY} names and
   * types ClickHouse's {@code Array(Int64)} as an array of ANY, which clients cannot decode.
   * Element types whose Java values clickhouse-jdbc returns as Calcite expects them are mapped;
   * the others stay ANY (and travel as text).
   */
  private static RelDataType typedArray(RelDataTypeFactory tf, RelDataType array, String clickHouseType) {
    if (clickHouseType == null || !clickHouseType.startsWith("Array(") || !clickHouseType.endsWith(")")) {
      return array;
    }
    String element = clickHouseType.substring("Array(".length(), clickHouseType.length() - 1);
    boolean nullable = false;
    for (String wrapper : new String[] {"Nullable(", "LowCardinality(", "Nullable("}) {
      if (element.startsWith(wrapper) && element.endsWith(")")) {
        nullable |= wrapper.startsWith("Nullable");
        element = element.substring(wrapper.length(), element.length() - 1);
      }
    }
    SqlTypeName component = switch (element) {
      case "String" -> SqlTypeName.VARCHAR;
      case "Int64" -> SqlTypeName.BIGINT;
      case "Int32" -> SqlTypeName.INTEGER;
      case "Float64" -> SqlTypeName.DOUBLE;
      case "Bool" -> SqlTypeName.BOOLEAN;
      default -> null;
    };
    if (component == null) {
      return array;
    }
    RelDataType typed = tf.createArrayType(tf.createTypeWithNullability(tf.createSqlType(component), nullable), -1);
    return tf.createTypeWithNullability(typed, array.isNullable());
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
