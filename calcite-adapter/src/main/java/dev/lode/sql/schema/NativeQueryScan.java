package dev.lode.sql.schema;

import com.google.common.collect.ImmutableList;
import java.util.List;
import org.apache.calcite.adapter.jdbc.JdbcConvention;
import org.apache.calcite.adapter.jdbc.JdbcImplementor;
import org.apache.calcite.adapter.jdbc.JdbcRel;
import org.apache.calcite.plan.RelOptCluster;
import org.apache.calcite.plan.RelOptTable;
import org.apache.calcite.plan.RelTraitSet;
import org.apache.calcite.rel.RelNode;
import org.apache.calcite.rel.RelWriter;
import org.apache.calcite.rel.core.TableScan;

/**
 * Scan of a {@link NativeQueryTable} in the warehouse's JDBC convention: it contributes its
 * ClickHouse query as a FROM sub-query, so the whole statement runs in ClickHouse.
 */
public final class NativeQueryScan extends TableScan implements JdbcRel {
  private final String sql;

  NativeQueryScan(RelOptCluster cluster, RelTraitSet traits, RelOptTable table, String sql) {
    super(cluster, traits, ImmutableList.of(), table);
    this.sql = sql;
  }

  /** The native ClickHouse query this scan reads. */
  public String sql() {
    return sql;
  }

  @Override
  public RelNode copy(RelTraitSet traitSet, List<RelNode> inputs) {
    return new NativeQueryScan(getCluster(), traitSet, table, sql);
  }

  @Override
  public RelWriter explainTerms(RelWriter pw) {
    return super.explainTerms(pw).item("sql", sql);
  }

  @Override
  public JdbcImplementor.Result implement(JdbcImplementor implementor) {
    String name = table.getQualifiedName().get(table.getQualifiedName().size() - 1);
    return implementor.result(new NativeSqlNode(name, sql), ImmutableList.of(JdbcImplementor.Clause.FROM), this, null);
  }

  static NativeQueryScan create(RelOptCluster cluster, RelOptTable table, JdbcConvention convention, String sql) {
    return new NativeQueryScan(cluster, cluster.traitSetOf(convention), table, sql);
  }
}
