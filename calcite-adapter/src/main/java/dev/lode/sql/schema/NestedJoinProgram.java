package dev.lode.sql.schema;

import java.util.ArrayList;
import java.util.List;
import org.apache.calcite.adapter.jdbc.JdbcRules.JdbcJoin;
import org.apache.calcite.adapter.jdbc.JdbcRules.JdbcProject;
import org.apache.calcite.plan.RelOptLattice;
import org.apache.calcite.plan.RelOptMaterialization;
import org.apache.calcite.plan.RelOptPlanner;
import org.apache.calcite.plan.RelTraitSet;
import org.apache.calcite.rel.RelNode;
import org.apache.calcite.rel.core.Filter;
import org.apache.calcite.rel.core.Sort;
import org.apache.calcite.rex.RexNode;
import org.apache.calcite.tools.Program;

/**
 * A pass over the chosen plan that makes bushy joins expressible in ClickHouse SQL: a join
 * whose right input is itself a join (or a filter or sort over one) gets that input as a
 * {@link NestedJoin} under an identity projection, which SQL generation turns into an aliased
 * sub-query listing every column by a unique name. ClickHouse cannot reference columns inside
 * a parenthesized join, and Calcite's own wrapping for ClickHouse (1.42) fails on a bare join
 * with "Unable to implement". Runs after planning, where the identity projection can no
 * longer be optimized away.
 */
final class NestedJoinProgram implements Program {
  @Override
  public RelNode run(RelOptPlanner planner, RelNode rel, RelTraitSet requiredOutputTraits,
                     List<RelOptMaterialization> materializations, List<RelOptLattice> lattices) {
    return fix(rel);
  }

  private static RelNode fix(RelNode rel) {
    List<RelNode> inputs = rel.getInputs();
    List<RelNode> fixed = new ArrayList<>(inputs.size());
    boolean changed = false;
    for (int i = 0; i < inputs.size(); i++) {
      RelNode input = fix(inputs.get(i));
      if (rel instanceof JdbcJoin && i == 1 && exposesJoin(input)) {
        input = boundary(input);
      }
      changed |= input != inputs.get(i);
      fixed.add(input);
    }
    return changed ? rel.copy(rel.getTraitSet(), fixed) : rel;
  }

  /** Whether {@code rel} is a join, or a filter or sort that SQL generation merges with the join below it. */
  private static boolean exposesJoin(RelNode rel) {
    if (rel instanceof JdbcJoin) {
      return !(rel instanceof NestedJoin);
    }
    return (rel instanceof Filter || rel instanceof Sort) && exposesJoin(rel.getInput(0));
  }

  /** Whether {@code rel} is a {@link NestedJoin}, or a filter or sort over one. */
  static boolean endsInNestedJoin(RelNode rel) {
    if (rel instanceof NestedJoin) {
      return true;
    }
    return (rel instanceof Filter || rel instanceof Sort) && endsInNestedJoin(rel.getInput(0));
  }

  /** {@code rel} with its join as a {@link NestedJoin}, under an identity projection. */
  private static RelNode boundary(RelNode rel) {
    RelNode marked = marked(rel);
    List<RexNode> identity = new ArrayList<>();
    var fields = marked.getRowType().getFieldList();
    for (int i = 0; i < fields.size(); i++) {
      identity.add(marked.getCluster().getRexBuilder().makeInputRef(fields.get(i).getType(), i));
    }
    return new JdbcProject(marked.getCluster(), marked.getTraitSet(), marked, identity, marked.getRowType());
  }

  private static RelNode marked(RelNode rel) {
    if (rel instanceof JdbcJoin join) {
      return NestedJoin.of(join);
    }
    return rel.copy(rel.getTraitSet(), List.of(marked(rel.getInput(0))));
  }
}
