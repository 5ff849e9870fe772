package dev.lode.sql.behavior;

import dev.lode.sql.schema.LodeFunction;
import dev.lode.sql.schema.NativeQueryTable;
import dev.lode.sql.schema.WarehouseDataSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.calcite.adapter.jdbc.JdbcConvention;
import org.apache.calcite.adapter.jdbc.JdbcSchema;
import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.rel.type.RelDataTypeFactory;
import org.apache.calcite.schema.FunctionParameter;
import org.apache.calcite.schema.TableMacro;
import org.apache.calcite.schema.TranslatableTable;
import org.apache.calcite.sql.type.SqlTypeName;

/**
 * A behavior table function ({@code funnel}, {@code retention}, …): a table macro whose
 * literal arguments are validated and expanded into one native ClickHouse query, which the
 * warehouse's JDBC convention then runs as a sub-query of the caller's statement.
 */
public abstract class BehaviorFunction implements TableMacro, LodeFunction {
  /** One declared argument. */
  public record Param(String name, SqlTypeName type, boolean optional) {
    /** This argument as Calcite sees it, at position {@code ordinal}, of the type {@code sqlType} gives. */
    public FunctionParameter parameter(int ordinal, java.util.function.Function<RelDataTypeFactory, RelDataType> sqlType) {
      Param p = this;
      return new FunctionParameter() {
        @Override
        public int getOrdinal() {
          return ordinal;
        }

        @Override
        public String getName() {
          return p.name();
        }

        @Override
        public RelDataType getType(RelDataTypeFactory typeFactory) {
          return sqlType.apply(typeFactory);
        }

        @Override
        public boolean isOptional() {
          return p.optional();
        }
      };
    }
  }

  private final JdbcSchema schema;
  private final JdbcConvention convention;
  private final int minGroupSize;
  /** The relations every call reads instead of {@link #aggregateSource}'s choice; tests set it. */
  private EventSource sourceOverride;

  protected BehaviorFunction(JdbcSchema schema, JdbcConvention convention) {
    this(schema, convention, 0);
  }

  /**
   * @param minGroupSize 0 for analysts and admins; for viewers the smallest number of persons a
   *                     row may be counted over (rows of 1 to {@code minGroupSize - 1} persons are
   *                     left out), and no argument may name an id-valued field
   */
  protected BehaviorFunction(JdbcSchema schema, JdbcConvention convention, int minGroupSize) {
    this.schema = schema;
    this.convention = convention;
    this.minGroupSize = minGroupSize;
  }

  /**
   * The query for viewers: {@code sql}'s rows without those counted over 1 to {@code k - 1}
   * persons, in the same order. Only the aggregate functions viewers get override it.
   */
  protected String floored(String sql, int k) {
    throw new UnsupportedOperationException(name() + " has no minimum group size: viewers do not get it");
  }

  /** Refuses, for viewers, an id-valued {@code field} named in {@code argument} (a breakdown by it, or a condition on it). */
  protected void checkViewerField(Args a, String argument, String field) {
    if (minGroupSize > 0 && field != null && EventField.idValued(field)) {
      throw new IllegalArgumentException(a.where(argument) + ": viewers see aggregates only, and '" + field.trim()
          + "' is an id-valued field (its values single out persons); break down by or filter on a descriptive field"
          + " such as event_name, country, device_type or a reviewed property key");
    }
  }

  /** {@link #checkViewerField} for every field the conditions of {@code predicates} name. */
  protected void checkViewerFields(Args a, String argument, List<EventPredicate> predicates) {
    for (EventPredicate p : predicates) {
      for (String f : p.fields()) {
        checkViewerField(a, argument, f);
      }
    }
  }

  @Override
  public abstract String name();

  protected abstract List<Param> params();

  /** The native ClickHouse query for these arguments. */
  protected abstract String sql(Args args);

  protected abstract RelDataType rowType(RelDataTypeFactory types, Args args);

  @Override
  public List<FunctionParameter> getParameters() {
    List<FunctionParameter> out = new ArrayList<>();
    List<Param> ps = params();
    for (int i = 0; i < ps.size(); i++) {
      Param p = ps.get(i);
      // Calcite hands macros literal values only for Java-class parameter types
      Class<?> javaClass = switch (p.type()) {
        case BIGINT -> Long.class;
        case INTEGER -> Integer.class;
        default -> String.class;
      };
      out.add(p.parameter(i, types -> types.createTypeWithNullability(types.createJavaType(javaClass), true)));
    }
    return out;
  }

  /**
   * Where a call whose rows are aggregates (never one person's) reads events: the connection's
   * database, unless that is a masked one (analysts, viewers) and no argument names a personal
   * field — then the warehouse's own tables, which hold the same rows and values for every
   * field the call reads, without hashing every event's ids on the way (the persons the
   * aggregates are counted over never leave the engine).
   *
   * @param personal whether an argument names a field analysts see masked
   */
  protected EventSource aggregateSource(boolean personal) {
    if (sourceOverride != null) {
      return sourceOverride;
    }
    if (!personal && schema.getDataSource() instanceof WarehouseDataSource ds
        && !ds.database().equals(ds.warehouse().database())) {
      return EventSource.in(ds.warehouse().database());
    }
    return EventSource.DEFAULT;
  }

  /** Reads {@code source} from now on, whatever the call names (tests: events split into shards by hand). */
  BehaviorFunction readingFrom(EventSource source) {
    this.sourceOverride = source;
    return this;
  }

  @Override
  public TranslatableTable apply(List<? extends Object> arguments) {
    Args args = new Args(name(), params(), arguments);
    String sql = sql(args);
    if (minGroupSize > 0) {
      sql = floored(sql, minGroupSize);
    }
    return new NativeQueryTable(schema, convention, name(), sql, types -> rowType(types, args));
  }

  /** The arguments of one call, read by name with the function named in every error. */
  public static final class Args {
    private final String function;
    private final List<Param> params;
    private final List<? extends Object> values;

    public Args(String function, List<Param> params, List<? extends Object> values) {
      this.function = function;
      this.params = params;
      this.values = values;
    }

    private Object raw(String name) {
      for (int i = 0; i < params.size(); i++) {
        if (params.get(i).name().equals(name)) {
          return i < values.size() ? values.get(i) : null;
        }
      }
      throw new IllegalStateException(function + " has no argument " + name);
    }

    /** {@code function(name)}, for error messages. */
    public String where(String name) {
      return function + "(" + name + ")";
    }

    public Object value(String name) {
      return raw(name);
    }

    public String string(String name, String dflt) {
      Object v = raw(name);
      return v == null || v.toString().isBlank() ? dflt : v.toString().trim();
    }

    public String required(String name) {
      String s = string(name, null);
      if (s == null) {
        throw new IllegalArgumentException(where(name) + " is required");
      }
      return s;
    }

    public long integer(String name, long dflt, long min, long max) {
      Object v = raw(name);
      if (v == null) {
        return dflt;
      }
      long x;
      if (v instanceof Number n) {
        x = n.longValue();
      } else {
        try {
          x = Long.parseLong(v.toString().trim());
        } catch (NumberFormatException e) {
          throw new IllegalArgumentException(where(name) + " must be an integer, got '" + v + "'");
        }
      }
      if (x < min || x > max) {
        throw new IllegalArgumentException(where(name) + " must be between " + min + " and " + max + ", got " + x);
      }
      return x;
    }

    /** A value from a fixed set, case-insensitive. */
    public String choice(String name, String dflt, List<String> allowed) {
      String s = string(name, dflt).toLowerCase(Locale.ROOT);
      if (!allowed.contains(s)) {
        throw new IllegalArgumentException(where(name) + " must be one of " + String.join(", ", allowed)
            + ", got '" + s + "'");
      }
      return s;
    }

    public TimeRange range() {
      try {
        return TimeRange.of(raw("from"), raw("to"));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(function + ": " + e.getMessage());
      }
    }
  }

  /** Row-type builder shorthand. */
  protected static RelDataTypeFactory.Builder row(RelDataTypeFactory types) {
    return types.builder();
  }
}
