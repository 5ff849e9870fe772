package dev.lode.sql.schema;

import dev.lode.config.LodeConfig;
import dev.lode.recommend.RecEvaluator;
import dev.lode.recommend.RecommendSettings;
import dev.lode.recommend.Recommender;
import dev.lode.udf.WarehouseVersion;
import org.apache.calcite.schema.impl.ScalarFunctionImpl;
import dev.lode.sql.behavior.EventTrendsFunction;
import dev.lode.sql.behavior.FunnelFunction;
import dev.lode.sql.behavior.FunnelPeopleFunction;
import dev.lode.sql.behavior.PathsFunction;
import dev.lode.sql.behavior.RetentionFunction;
import dev.lode.sql.behavior.SessionsFunction;
import dev.lode.sql.behavior.TagExplainFunction;
import dev.lode.sql.recommend.RecEvalFunction;
import dev.lode.sql.recommend.RecommendFunction;
import dev.lode.sql.recommend.SimilarItemsFunction;
import dev.lode.warehouse.Warehouse;
import java.util.List;
import org.apache.calcite.adapter.jdbc.ClickHouseJdbcSchema;
import org.apache.calcite.adapter.jdbc.JdbcConvention;
import org.apache.calcite.adapter.jdbc.JdbcSchema;
import org.apache.calcite.jdbc.CalciteSchema;
import org.apache.calcite.linq4j.tree.Expression;
import org.apache.calcite.schema.SchemaPlus;
import org.apache.calcite.schema.Schemas;

/**
 * Builds the {@code lode} schema every SQL connection sees: the warehouse's tables through
 * Calcite's JDBC adapter with {@link ClickHouseDialect} (filters, projections, aggregates,
 * sorts, limits and joins are pushed down as ClickHouse SQL), the {@code sessions} virtual
 * table and the behavior table functions, all executed inside ClickHouse.
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
  private final List<LodeFunction> functions;
  private final long sessionGapSeconds;

  /**
   * @param timeoutSeconds ClickHouse's {@code max_execution_time} for every pushed-down query (0 = none)
   * @param sessionGapSeconds the gap that splits sessions in the {@code sessions} table
   */
  public LodeSchemaFactory(Warehouse warehouse, int timeoutSeconds, long sessionGapSeconds) {
    this(warehouse, SCHEMA, warehouse.database(), warehouse.database(), timeoutSeconds, sessionGapSeconds, f -> true);
  }

  /**
   * A schema named {@code name} over the tables of ClickHouse database {@code database}, whose behavior
   * functions (those {@code functionFilter} keeps) read {@code events} of {@code functionDatabase}: the
   * role-confined schemas of analysts and viewers are built this way over their masked databases.
   */
  public LodeSchemaFactory(Warehouse warehouse, String name, String database, String functionDatabase,
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
    RecommendSettings recommendSettings = RecommendSettings.from(LodeConfig.load());
    Recommender recommender = new Recommender(warehouse, recommendSettings);
    java.util.List<LodeFunction> all = new java.util.ArrayList<>(List.of(new FunnelFunction(tables, convention),
        new FunnelPeopleFunction(tables, convention), new RetentionFunction(tables, convention),
        new PathsFunction(tables, convention), new SessionsFunction(tables, convention),
        new EventTrendsFunction(tables, convention), new TagExplainFunction(tables, convention),
        new SimilarItemsFunction(tables, convention, recommender),
        new RecEvalFunction(tables, convention, new RecEvaluator(warehouse, recommendSettings))));
    if (functionFilter.test("recommend")) {
      // recommend() reads the warehouse's own database: this schema's pool when that is its database
      javax.sql.DataSource own = tables.getDataSource() instanceof WarehouseDataSource ds
          && ds.database().equals(warehouse.database()) ? ds : new WarehouseDataSource(warehouse, timeoutSeconds);
      all.add(new RecommendFunction(own, recommender));
    }
    this.functions = all.stream().filter(f -> functionFilter.test(f.name())).toList();
    this.sessionGapSeconds = functionFilter.test("sessions") ? sessionGapSeconds : -1;
    WarehouseVersion.source(() -> {
      try (java.sql.Connection c = warehouse.connect(); java.sql.Statement st = c.createStatement();
           java.sql.ResultSet rs = st.executeQuery("SELECT version()")) {
        rs.next();
        return rs.getString(1);
      } catch (java.sql.SQLException e) {
        throw new IllegalStateException("cannot read the warehouse version: " + e.getMessage(), e);
      }
    });
  }

  /** Mounts this schema under a connection's root schema and returns it. */
  public SchemaPlus addTo(SchemaPlus root) {
    SchemaPlus lode = root.add(name, tables);
    for (LodeFunction f : functions) {
      lode.add(f.name(), f);
    }
    lode.add("version", ScalarFunctionImpl.create(WarehouseVersion.class, "version"));
    if (sessionGapSeconds >= 0) {
      lode.add("sessions", new NativeQueryTable(tables, convention, "sessions",
          SessionsFunction.tableSql(sessionGapSeconds), SessionsFunction::tableType));
    }
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

  /** The behavior functions, for documentation and listings. */
  public List<LodeFunction> functions() {
    return functions;
  }
}
