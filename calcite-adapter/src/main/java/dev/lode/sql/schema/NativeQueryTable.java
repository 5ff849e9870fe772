package dev.lode.sql.schema;

import java.util.function.Function;
import org.apache.calcite.adapter.jdbc.JdbcConvention;
import org.apache.calcite.adapter.jdbc.JdbcSchema;
import org.apache.calcite.adapter.jdbc.JdbcTable;
import org.apache.calcite.adapter.jdbc.NativeSqlJdbcTable;
import org.apache.calcite.plan.RelOptTable;
import org.apache.calcite.rel.RelNode;
import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.rel.type.RelDataTypeFactory;
import org.apache.calcite.schema.TranslatableTable;
import org.apache.calcite.schema.impl.AbstractTable;

/**
 * A relation defined by a native ClickHouse query (a behavior function's expansion or a
 * virtual table such as {@code sessions}): Calcite sees its row type, ClickHouse runs it.
 */
public final class NativeQueryTable extends AbstractTable implements TranslatableTable {
  private final JdbcConvention convention;
  private final JdbcTable sqlName;
  private final String sql;
  private final Function<RelDataTypeFactory, RelDataType> rowType;

  /**
   * @param schema the warehouse schema whose connections run the query
   * @param name   a name for plans and error messages
   */
  public NativeQueryTable(JdbcSchema schema, JdbcConvention convention, String name, String sql,
                          Function<RelDataTypeFactory, RelDataType> rowType) {
    this.convention = convention;
    this.sqlName = new NativeSqlJdbcTable(schema, name, new NativeSqlNode(name, sql));
    this.sql = sql;
    this.rowType = rowType;
  }

  @Override
  public <C> C unwrap(Class<C> aClass) {
    // Calcite's SQL generator names a scanned table by JdbcTable.tableName(): ours is the query
    if (aClass == JdbcTable.class) {
      return aClass.cast(sqlName);
    }
    return super.unwrap(aClass);
  }

  public String sql() {
    return sql;
  }

  @Override
  public RelDataType getRowType(RelDataTypeFactory typeFactory) {
    return rowType.apply(typeFactory);
  }

  @Override
  public RelNode toRel(RelOptTable.ToRelContext context, RelOptTable relOptTable) {
    return NativeQueryScan.create(context.getCluster(), relOptTable, convention, sql);
  }
}
