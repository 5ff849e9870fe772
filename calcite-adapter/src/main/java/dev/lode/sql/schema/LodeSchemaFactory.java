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
import org.apache.calcite.schema.Table;
import java.util.Map;

/**
 * Builds the {@code lode} schema every SQL connection sees: the warehouse's tables through
 * Calcite's JDBC adapter with {@link ClickHouseDialect} (filters, projections, aggregates,
 * sorts, limits and joins are pushed down as ClickHouse SQL), and the functions and virtual
 * tables a {@link FunctionTable} supplies, all executed inside ClickHouse.
 */
public final class LodeSchemaFactory {
  static {
    // Calcite compiles every plan to Java with Janino; caching compiled plans by their source
    // lets a repeated dashboard query skip the compiler (hundreds of ms per query otherwise)
    if (System.getProperty("calcite.bindable.cache.maxSize") == null) {
      System.setProperty("calcite.bindable.cache.maxSize", "1000");
    }
  }

  /** The schema name clients see. */
  public static final String SCHEMA = "lode";

  private final String name;
  private final JdbcSchema tables;
  private final JdbcConvention convention;
  private final Map<String, Function> functions;
  private final Map<String, Table> virtualTables;

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
    PlannerRules.install();
    this.name = name;
    SchemaPlus scratchRoot = CalciteSchema.createRootSchema(false).plus();
    Expression expression = Schemas.subSchemaExpression(scratchRoot, name, JdbcSchema.class);
    // one convention per database: plans over different databases must never be mistaken for each other
    this.convention = new ClickHouseConvention(expression, database);
    this.tables = new ClickHouseJdbcSchema(new WarehouseDataSource(warehouse, functionDatabase, timeoutSeconds),
        ClickHouseDialect.INSTANCE, convention, database);
    FunctionTable.Scope scope = new FunctionTable.Scope(warehouse, tables, convention, timeoutSeconds,
        sessionGapSeconds, functionFilter);
    this.functions = functionTable.functions(scope);
    this.virtualTables = functionTable.tables(scope);
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
