package dev.lode.sql.schema;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.apache.calcite.adapter.jdbc.JdbcRules.JdbcAggregate;
import org.apache.calcite.adapter.jdbc.JdbcRules.JdbcProject;
import org.apache.calcite.plan.RelOptLattice;
import org.apache.calcite.plan.RelOptMaterialization;
import org.apache.calcite.plan.RelOptPlanner;
import org.apache.calcite.plan.RelTraitSet;
import org.apache.calcite.rel.RelNode;
import org.apache.calcite.rel.core.AggregateCall;
import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.rel.type.RelDataTypeField;
import org.apache.calcite.rex.RexInputRef;
import org.apache.calcite.rex.RexNode;
import org.apache.calcite.tools.Program;

/**
 * A pass over the chosen plan that renames a pushed-down projection or aggregate whose output
 * name is also a column name below it ({@code FLOOR(event_time TO DAY) AS event_time} becomes
 * {@code … AS event_time_1}): ClickHouse resolves a SELECT alias inside the same SELECT's
 * WHERE, GROUP BY and other expressions before a column of that name, so the generated SQL
 * would filter or group the computed value instead of the column. Only the SQL ClickHouse
 * receives changes; the labels a client sees come from the validated statement, and Calcite
 * reads pushed-down results by position. Lode's hand-written SQL (behavior functions,
 * recommendations, views) keeps ClickHouse's own alias rules.
 */
final class DistinctAliasProgram implements Program {
  @Override
  public RelNode run(RelOptPlanner planner, RelNode rel, RelTraitSet requiredOutputTraits,
                     List<RelOptMaterialization> materializations, List<RelOptLattice> lattices) {
    return fix(rel);
  }

  private static RelNode fix(RelNode rel) {
    List<RelNode> inputs = rel.getInputs();
    List<RelNode> fixed = new ArrayList<>(inputs.size());
    boolean changed = false;
    for (RelNode input : inputs) {
      RelNode f = fix(input);
      changed |= f != input;
      fixed.add(f);
    }
    if (rel instanceof JdbcProject project) {
      return renamed(project, fixed.get(0), changed);
    }
    if (rel instanceof JdbcAggregate aggregate) {
      return renamed(aggregate, fixed.get(0), changed);
    }
    return changed ? rel.copy(rel.getTraitSet(), fixed) : rel;
  }

  private static RelNode renamed(JdbcProject project, RelNode input, boolean inputChanged) {
    Set<String> below = namesIn(input);
    List<String> names = new ArrayList<>(project.getRowType().getFieldNames());
    List<RexNode> exprs = project.getProjects();
    boolean changed = false;
    for (int i = 0; i < names.size(); i++) {
      String name = names.get(i);
      // a column passed through under its own name is written without an alias
      boolean passedThrough = exprs.get(i) instanceof RexInputRef ref
          && input.getRowType().getFieldNames().get(ref.getIndex()).equals(name);
      if (!passedThrough && below.contains(key(name))) {
        names.set(i, fresh(name, below, names));
        changed = true;
      }
    }
    if (!changed && !inputChanged) {
      return project;
    }
    RelDataType type = project.getCluster().getTypeFactory().createStructType(
        project.getRowType().getFieldList().stream().map(RelDataTypeField::getType).toList(), names);
    return new JdbcProject(project.getCluster(), project.getTraitSet(), input, exprs, type);
  }

  private static RelNode renamed(JdbcAggregate aggregate, RelNode input, boolean inputChanged) {
    Set<String> below = namesIn(input);
    List<String> taken = new ArrayList<>(aggregate.getRowType().getFieldNames());
    List<AggregateCall> calls = new ArrayList<>();
    boolean changed = false;
    for (AggregateCall call : aggregate.getAggCallList()) {
      if (call.name != null && below.contains(key(call.name))) {
        String name = fresh(call.name, below, taken);
        taken.add(name);
        calls.add(call.rename(name));
        changed = true;
      } else {
        calls.add(call);
      }
    }
    if (!changed && !inputChanged) {
      return aggregate;
    }
    return aggregate.copy(aggregate.getTraitSet(), input, aggregate.getGroupSet(), aggregate.getGroupSets(), calls);
  }

  /** {@code name} with the first suffix {@code _1}, {@code _2}, … that names nothing below or beside it. */
  private static String fresh(String name, Set<String> below, List<String> beside) {
    Set<String> used = new HashSet<>(below);
    beside.forEach(n -> used.add(key(n)));
    for (int n = 1; ; n++) {
      String candidate = name + "_" + n;
      if (!used.contains(key(candidate))) {
        return candidate;
      }
    }
  }

  /** Every column name of {@code rel} and of the relations under it: what a SELECT over it may refer to. */
  private static Set<String> namesIn(RelNode rel) {
    Set<String> names = new HashSet<>();
    collect(rel, names);
    return names;
  }

  private static void collect(RelNode rel, Set<String> names) {
    rel.getRowType().getFieldNames().forEach(n -> names.add(key(n)));
    rel.getInputs().forEach(i -> collect(i, names));
  }

  /** Compared without letter case: renaming one alias too many is harmless, one too few is not. */
  private static String key(String name) {
    return name.toLowerCase(Locale.ROOT);
  }
}
