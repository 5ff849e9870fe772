package dev.lode.sql.recommend;

import java.util.List;
import java.util.function.Function;
import org.apache.calcite.adapter.enumerable.EnumerableConvention;
import org.apache.calcite.adapter.enumerable.EnumerableRel;
import org.apache.calcite.adapter.enumerable.EnumerableRelImplementor;
import org.apache.calcite.adapter.enumerable.JavaRowFormat;
import org.apache.calcite.adapter.enumerable.PhysType;
import org.apache.calcite.adapter.enumerable.PhysTypeImpl;
import org.apache.calcite.linq4j.Linq4j;
import org.apache.calcite.linq4j.tree.Blocks;
import org.apache.calcite.linq4j.tree.Expression;
import org.apache.calcite.linq4j.tree.Expressions;
import org.apache.calcite.plan.RelOptCluster;
import org.apache.calcite.plan.RelOptTable;
import org.apache.calcite.rel.AbstractRelNode;
import org.apache.calcite.rel.RelNode;
import org.apache.calcite.rel.RelWriter;
import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.rel.type.RelDataTypeFactory;
import org.apache.calcite.schema.TranslatableTable;
import org.apache.calcite.schema.impl.AbstractTable;

/**
 * A table function's result already computed while the call was planned (served
 * recommendations): rows Calcite filters and projects itself, with no further round trip to the
 * warehouse. The rows are handed to the generated code as a stashed value, not as literals, so
 * the compiled plan of one query shape is reused for every call instead of recompiled.
 */
final class RowsTable extends AbstractTable implements TranslatableTable {
  private final String name;
  private final Function<RelDataTypeFactory, RelDataType> rowType;
  private final List<Object[]> rows;

  RowsTable(String name, Function<RelDataTypeFactory, RelDataType> rowType, List<Object[]> rows) {
    this.name = name;
    this.rowType = rowType;
    this.rows = rows;
  }

  @Override
  public RelDataType getRowType(RelDataTypeFactory typeFactory) {
    return rowType.apply(typeFactory);
  }

  @Override
  public RelNode toRel(RelOptTable.ToRelContext context, RelOptTable relOptTable) {
    return new Rows(context.getCluster(), relOptTable.getRowType(), name, rows);
  }

  /** The physical node: an enumerable over the stashed rows. */
  static final class Rows extends AbstractRelNode implements EnumerableRel {
    private final RelDataType type;
    private final String name;
    private final List<Object[]> rows;

    Rows(RelOptCluster cluster, RelDataType type, String name, List<Object[]> rows) {
      super(cluster, cluster.traitSetOf(EnumerableConvention.INSTANCE));
      this.type = type;
      this.name = name;
      this.rows = rows;
    }

    @Override
    protected RelDataType deriveRowType() {
      return type;
    }

    @Override
    public double estimateRowCount(org.apache.calcite.rel.metadata.RelMetadataQuery mq) {
      return rows.size();
    }

    @Override
    public RelWriter explainTerms(RelWriter pw) {
      return super.explainTerms(pw).item("function", name).item("rows", rows.size())
          .item("id", System.identityHashCode(rows));
    }

    @Override
    public Result implement(EnumerableRelImplementor implementor, Prefer pref) {
      PhysType physType = PhysTypeImpl.of(implementor.getTypeFactory(), getRowType(), JavaRowFormat.ARRAY);
      Expression stashed = implementor.stash(rows, List.class);
      return implementor.result(physType, Blocks.toBlock(Expressions.call(Linq4j.class, "asEnumerable", stashed)));
    }
  }
}
