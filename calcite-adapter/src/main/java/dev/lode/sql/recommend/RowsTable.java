package dev.lode.sql.recommend;

import com.google.common.collect.ImmutableList;
import java.math.BigDecimal;
import java.util.List;
import java.util.function.Function;
import org.apache.calcite.plan.RelOptTable;
import org.apache.calcite.rel.RelNode;
import org.apache.calcite.rel.logical.LogicalValues;
import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.rel.type.RelDataTypeFactory;
import org.apache.calcite.rex.RexBuilder;
import org.apache.calcite.rex.RexLiteral;
import org.apache.calcite.schema.TranslatableTable;
import org.apache.calcite.schema.impl.AbstractTable;

/**
 * A table function's result already computed while the call was planned (served
 * recommendations): literal rows that Calcite filters and projects itself, with no further
 * round trip to the warehouse.
 */
final class RowsTable extends AbstractTable implements TranslatableTable {
  private final String name;
  private final Function<RelDataTypeFactory, RelDataType> rowType;
  private final List<List<Object>> rows;

  RowsTable(String name, Function<RelDataTypeFactory, RelDataType> rowType, List<List<Object>> rows) {
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
    RelDataType type = relOptTable.getRowType();
    RexBuilder rex = context.getCluster().getRexBuilder();
    ImmutableList.Builder<ImmutableList<RexLiteral>> tuples = ImmutableList.builder();
    for (List<Object> row : rows) {
      ImmutableList.Builder<RexLiteral> t = ImmutableList.builder();
      for (int i = 0; i < row.size(); i++) {
        Object v = row.get(i);
        RelDataType ft = type.getFieldList().get(i).getType();
        Object value = v instanceof Number n && !(v instanceof BigDecimal) ? new BigDecimal(n.toString()) : v;
        t.add((RexLiteral) rex.makeLiteral(value, ft, false));
      }
      tuples.add(t.build());
    }
    return LogicalValues.create(context.getCluster(), type, tuples.build());
  }

  @Override
  public String toString() {
    return name + " (" + rows.size() + " rows)";
  }
}
