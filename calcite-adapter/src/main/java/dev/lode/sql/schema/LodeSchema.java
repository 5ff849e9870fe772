package dev.lode.sql.schema;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.apache.calcite.adapter.jdbc.JdbcSchema;
import org.apache.calcite.linq4j.tree.Expression;
import org.apache.calcite.rel.type.RelProtoDataType;
import org.apache.calcite.schema.Function;
import org.apache.calcite.schema.Schema;
import org.apache.calcite.schema.SchemaPlus;
import org.apache.calcite.schema.SchemaVersion;
import org.apache.calcite.schema.Table;
import org.apache.calcite.schema.Wrapper;
import org.apache.calcite.schema.lookup.LikePattern;
import org.apache.calcite.schema.lookup.Lookup;
import org.apache.calcite.schema.lookup.Named;

/**
 * The warehouse's tables with a schema's functions and virtual tables in one {@link Schema}, as a
 * Calcite model's {@code SchemaFactory} must return it (Calcite's {@code JdbcSchema} fixes its
 * function list to none); it unwraps to the {@link JdbcSchema}, which the generated code of every
 * pushed-down query asks its schema for.
 */
final class LodeSchema implements Schema, Wrapper {
  private final JdbcSchema tables;
  private final Map<String, Function> functions;
  private final Map<String, Table> virtualTables;

  LodeSchema(JdbcSchema tables, Map<String, Function> functions, Map<String, Table> virtualTables) {
    this.tables = tables;
    this.functions = functions;
    this.virtualTables = virtualTables;
  }

  @Override
  public Lookup<Table> tables() {
    Lookup<Table> warehouse = tables.tables();
    return new Lookup<>() {
      @Override
      public Table get(String name) {
        Table t = virtualTables.get(name);
        return t != null ? t : warehouse.get(name);
      }

      @Override
      public Named<Table> getIgnoreCase(String name) {
        for (Map.Entry<String, Table> e : virtualTables.entrySet()) {
          if (e.getKey().equalsIgnoreCase(name)) {
            return new Named<>(e.getKey(), e.getValue());
          }
        }
        return warehouse.getIgnoreCase(name);
      }

      @Override
      public Set<String> getNames(LikePattern pattern) {
        Set<String> names = new TreeSet<>(warehouse.getNames(pattern));
        virtualTables.keySet().stream().filter(pattern.matcher()::apply).forEach(names::add);
        return names;
      }
    };
  }

  @Override
  public Lookup<? extends Schema> subSchemas() {
    return tables.subSchemas();
  }

  @Override
  @SuppressWarnings("deprecation")
  public Table getTable(String name) {
    return tables().get(name);
  }

  @Override
  @SuppressWarnings("deprecation")
  public Set<String> getTableNames() {
    return tables().getNames(LikePattern.any());
  }

  @Override
  public RelProtoDataType getType(String name) {
    return tables.getType(name);
  }

  @Override
  public Set<String> getTypeNames() {
    return tables.getTypeNames();
  }

  @Override
  public Collection<Function> getFunctions(String name) {
    Function f = functions.get(name);
    return f == null ? List.of() : List.of(f);
  }

  @Override
  public Set<String> getFunctionNames() {
    return functions.keySet();
  }

  @Override
  @SuppressWarnings("deprecation")
  public Schema getSubSchema(String name) {
    return tables.getSubSchema(name);
  }

  @Override
  @SuppressWarnings("deprecation")
  public Set<String> getSubSchemaNames() {
    return tables.getSubSchemaNames();
  }

  @Override
  public Expression getExpression(SchemaPlus parentSchema, String name) {
    return tables.getExpression(parentSchema, name);
  }

  @Override
  public boolean isMutable() {
    return false;
  }

  @Override
  public Schema snapshot(SchemaVersion version) {
    return this;
  }

  @Override
  public <T> T unwrap(Class<T> type) {
    if (type.isInstance(this)) {
      return type.cast(this);
    }
    return tables.unwrap(type);
  }
}
