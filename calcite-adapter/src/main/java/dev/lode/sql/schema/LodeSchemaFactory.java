package dev.lode.sql.schema;

import dev.lode.warehouse.Warehouse;
import org.apache.calcite.adapter.jdbc.ClickHouseJdbcSchema;
import org.apache.calcite.adapter.jdbc.JdbcConvention;
import org.apache.calcite.adapter.jdbc.JdbcSchema;
import org.apache.calcite.jdbc.CalciteSchema;
import org.apache.calcite.linq4j.tree.Expression;
import org.apache.calcite.schema.SchemaPlus;
import org.apache.calcite.schema.Schemas;
import org.apache.calcite.schema.Function;
import org.apache.calcite.schema.Schema;
import org.apache.calcite.schema.SchemaFactory;
import org.apache.calcite.schema.Table;
import dev.lode.config.LodeConfig;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Builds the {@code lode} schema every SQL connection sees: the warehouse's tables through
 * Calcite's JDBC adapter with {@link ClickHouseDialect} (filters, projections, aggregates,
 * sorts, limits and joins are pushed down as ClickHouse SQL), and the functions and virtual
 * tables a {@link FunctionTable} supplies, all executed inside ClickHouse. {@link #INSTANCE} is the
 * Calcite {@link SchemaFactory} a model file names ({@code "factory": "dev.lode.sql.schema.LodeSchemaFactory"});
 * its operand says which warehouse to read, see {@link #create(SchemaPlus, String, Map)}.
 */
public final class LodeSchemaFactory implements SchemaFactory {
  static {
    // Calcite compiles every plan to Java with Janino; caching compiled plans by their source
    // lets a repeated dashboard query skip the compiler (hundreds of ms per query otherwise)
    if (System.getProperty("calcite.bindable.cache.maxSize") == null) {
      System.setProperty("calcite.bindable.cache.maxSize", "1000");
    }
  }

  /** The schema name clients see. */
  public static final String SCHEMA = "lode";

  /** The factory a Calcite model instantiates; it builds one bound factory per schema of the model. */
  public static final LodeSchemaFactory INSTANCE = new LodeSchemaFactory();

  /** Warehouses a model's {@code "warehouse"} operand may name, registered by whoever opened them. */
  private static final Map<String, Warehouse> NAMED = new ConcurrentHashMap<>();

  private final String name;
  private final JdbcSchema tables;
  private final JdbcConvention convention;
  private final Map<String, Function> functions;
  private final Map<String, Table> virtualTables;

  /** The model entry point: binds to no warehouse until {@link #create} is called. */
  private LodeSchemaFactory() {
    this.name = null;
    this.tables = null;
    this.convention = null;
    this.functions = Map.of();
    this.virtualTables = Map.of();
  }

  /**
   * @param timeoutSeconds ClickHouse's {@code max_execution_time} for every pushed-down query (0 = none)
   * @param sessionGapSeconds the gap that splits sessions in the {@code sessions} table
   */
  public LodeSchemaFactory(Warehouse warehouse, FunctionTable functionTable, int timeoutSeconds,
                           long sessionGapSeconds) {
    this(warehouse, functionTable, SCHEMA, warehouse.database(), warehouse.database(), timeoutSeconds,
        sessionGapSeconds, f -> true);
  }

  /**
   * A schema named {@code name} over the tables of ClickHouse database {@code database}, whose behavior
   * functions (those {@code functionFilter} keeps) read {@code events} of {@code functionDatabase}: the
   * role-confined schemas of analysts and viewers are built this way over their masked databases.
   */
  public LodeSchemaFactory(Warehouse warehouse, FunctionTable functionTable, String name, String database, String functionDatabase,
                           int timeoutSeconds, long sessionGapSeconds,
                           java.util.function.Predicate<String> functionFilter) {
    this(warehouse, functionTable, name, database, functionDatabase, timeoutSeconds, sessionGapSeconds, functionFilter, 0);
  }

  /**
   * As above, with aggregate functions for viewers: {@code minGroupSize} &gt; 0 leaves out their rows
   * counted over fewer persons and refuses arguments naming id-valued fields.
   */
  public LodeSchemaFactory(Warehouse warehouse, FunctionTable functionTable, String name, String database, String functionDatabase,
                           int timeoutSeconds, long sessionGapSeconds,
                           java.util.function.Predicate<String> functionFilter, int minGroupSize) {
    PlannerRules.install();
    this.name = name;
    SchemaPlus scratchRoot = CalciteSchema.createRootSchema(false).plus();
    Expression expression = Schemas.subSchemaExpression(scratchRoot, name, JdbcSchema.class);
    // one convention per database: plans over different databases must never be mistaken for each other
    this.convention = new ClickHouseConvention(expression, database);
    this.tables = new ClickHouseJdbcSchema(new WarehouseDataSource(warehouse, functionDatabase, timeoutSeconds),
        ClickHouseDialect.INSTANCE, convention, database);
    FunctionTable.Scope scope = new FunctionTable.Scope(warehouse, tables, convention, timeoutSeconds,
        sessionGapSeconds, functionFilter, minGroupSize);
    this.functions = functionTable.functions(scope);
    this.virtualTables = functionTable.tables(scope);
  }

  /** Makes {@code warehouse} available to model files as {@code "warehouse": "<name>"}. */
  public static void register(String name, Warehouse warehouse) {
    NAMED.put(name, warehouse);
  }

  /**
   * The schema a model file asks for. Operand keys: {@code warehouse} (a name given to
   * {@link #register}) or {@code url} with {@code user} and {@code password} (a ClickHouse JDBC
   * url, read without migrating); {@code database} (default: the warehouse's own); {@code timeout}
   * (seconds, ClickHouse's {@code max_execution_time}, default none); {@code sessionGap} (seconds,
   * default 1800); {@code functionTable} (the class name of a {@link FunctionTable}, default none).
   */
  @Override
  public Schema create(SchemaPlus parentSchema, String schemaName, Map<String, Object> operand) {
    Warehouse warehouse = warehouseOf(operand);
    String database = text(operand, "database", warehouse.database());
    int timeout = Integer.parseInt(text(operand, "timeout", "0"));
    long gap = Long.parseLong(text(operand, "sessionGap", "1800"));
    FunctionTable functionTable = functionTableOf(text(operand, "functionTable", ""));
    LodeSchemaFactory bound = new LodeSchemaFactory(warehouse, functionTable, schemaName, database, database,
        timeout, gap, f -> true);
    return new LodeSchema(bound.tables, bound.functions, bound.virtualTables);
  }

  private static Warehouse warehouseOf(Map<String, Object> operand) {
    String named = text(operand, "warehouse", "");
    if (!named.isEmpty()) {
      Warehouse w = NAMED.get(named);
      if (w == null) {
        throw new IllegalArgumentException("no warehouse is registered as '" + named + "'; registered: " + NAMED.keySet());
      }
      return w;
    }
    String url = text(operand, "url", "");
    if (url.isEmpty()) {
      throw new IllegalArgumentException("a lode schema's operand needs \"warehouse\" (a registered name) or \"url\"");
    }
    Map<String, String> c = new HashMap<>();
    c.put("lode.warehouse.url", url);
    c.put("lode.warehouse.user", text(operand, "user", "default"));
    c.put("lode.warehouse.password", text(operand, "password", ""));
    c.put("lode.warehouse.database", text(operand, "database", "lode"));
    return Warehouse.connectOnly(LodeConfig.of(c));
  }

  private static FunctionTable functionTableOf(String className) {
    if (className.isEmpty()) {
      return FunctionTable.NONE;
    }
    try {
      return (FunctionTable) Class.forName(className).getDeclaredConstructor().newInstance();
    } catch (ReflectiveOperationException | ClassCastException e) {
      throw new IllegalArgumentException("functionTable '" + className + "' is not a FunctionTable with a public"
          + " no-argument constructor: " + e, e);
    }
  }

  private static String text(Map<String, Object> operand, String key, String otherwise) {
    Object v = operand.get(key);
    return v == null ? otherwise : v.toString();
  }

  /** Mounts this schema under a connection's root schema and returns it. */
  public SchemaPlus addTo(SchemaPlus root) {
    SchemaPlus lode = root.add(name, tables);
    functions.forEach(lode::add);
    virtualTables.forEach(lode::add);
    return lode;
  }

  /**
   * Plans and runs one small query in a background thread, so the first client does not pay
   * for loading Calcite's planner and code generator (several seconds on a cold JVM).
   */
  public void warmUp() {
    Thread t = new Thread(() -> {
      java.util.Properties p = new java.util.Properties();
      p.setProperty("lex", "JAVA");
      try (java.sql.Connection c = new org.apache.calcite.jdbc.Driver().connect("jdbc:calcite:", p)) {
        org.apache.calcite.jdbc.CalciteConnection cc = c.unwrap(org.apache.calcite.jdbc.CalciteConnection.class);
        addTo(cc.getRootSchema());
        try (java.sql.Statement st = c.createStatement();
             java.sql.ResultSet rs = st.executeQuery("SELECT count(*) FROM lode.events WHERE event_name = ''")) {
          rs.next();
        }
      } catch (java.sql.SQLException | RuntimeException e) {
        // only a warm-up: the first real query reports any problem
      }
    }, "lode-sql-warmup");
    t.setDaemon(true);
    t.start();
  }

  /** The name this schema is mounted under. */
  public String name() {
    return name;
  }

  /** The functions this schema mounts, by SQL name. */
  public Map<String, Function> functions() {
    return functions;
  }
}
