package dev.lode.sql.schema;

import dev.lode.warehouse.Warehouse;
import java.util.Map;
import java.util.function.Predicate;
import org.apache.calcite.adapter.jdbc.JdbcConvention;
import org.apache.calcite.adapter.jdbc.JdbcSchema;
import org.apache.calcite.schema.Function;
import org.apache.calcite.schema.Table;

/**
 * The functions and virtual tables a {@link LodeSchemaFactory} mounts beside the warehouse's
 * tables; the {@code udfs} module's operator table implements it, so this adapter knows no
 * function by name.
 */
public interface FunctionTable {
  /**
   * What one schema reads: the functions are built over its tables, convention and warehouse.
   *
   * @param minGroupSize 0, or (viewers) the fewest persons an aggregate function's row may be counted over
   */
  record Scope(Warehouse warehouse, JdbcSchema tables, JdbcConvention convention, int timeoutSeconds,
               long sessionGapSeconds, Predicate<String> allowed, int minGroupSize) {
  }

  /** A table with no functions: the plain warehouse tables. */
  FunctionTable NONE = new FunctionTable() {
    @Override
    public Map<String, Function> functions(Scope scope) {
      return Map.of();
    }

    @Override
    public Map<String, Table> tables(Scope scope) {
      return Map.of();
    }
  };

  /** The functions of one schema by SQL name, only those {@link Scope#allowed} keeps. */
  Map<String, Function> functions(Scope scope);

  /** Virtual tables (such as {@code sessions}) of one schema by name. */
  Map<String, Table> tables(Scope scope);
}
