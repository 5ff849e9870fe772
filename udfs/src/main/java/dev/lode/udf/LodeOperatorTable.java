package dev.lode.udf;

import dev.lode.config.LodeConfig;
import dev.lode.recommend.RecEvaluator;
import dev.lode.recommend.RecommendSettings;
import dev.lode.recommend.Recommender;
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
import dev.lode.sql.schema.FunctionTable;
import dev.lode.sql.schema.LodeFunction;
import dev.lode.sql.schema.NativeQueryTable;
import dev.lode.sql.schema.WarehouseDataSource;
import dev.lode.warehouse.Warehouse;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.apache.calcite.schema.Function;
import org.apache.calcite.schema.Table;
import org.apache.calcite.schema.impl.ScalarFunctionImpl;

/**
 * Every SQL-callable function Lode adds, in one place (Druid's {@code DruidOperatorTable}
 * style): the behavior table functions, the recommendation functions and the scalar
 * functions, each filtered by what the schema's role may call.
 */
public final class LodeOperatorTable implements FunctionTable {
  /** Druid's and Phoenix's time functions, which exist only as ClickHouse SQL, resolved in every parsed statement. */
  private static final List<dev.lode.sql.schema.PushedFunction> PUSHED = List.of(
      new dev.lode.udf.time.ToTimestampFunction(), new dev.lode.udf.time.TimeFloorFunction(),
      new dev.lode.udf.time.TimeShiftFunction(), new dev.lode.udf.time.TimeExtractFunction(),
      new dev.lode.udf.time.MillisToTimestampFunction(), new dev.lode.udf.time.TimestampToMillisFunction(),
      new dev.lode.udf.time.TruncFunction(), new dev.lode.udf.time.ToDateFunction(),
      new dev.lode.udf.time.TimeParseFunction(), new dev.lode.udf.time.TimeFormatFunction());

  private final LodeConfig config;

  /** The functions as configured by {@code LodeConfig.load()} (tests of the functions alone). */
  public LodeOperatorTable() {
    this(LodeConfig.load());
  }

  /**
   * The functions as configured by {@code config}: the server hands in its own, so settings made in
   * code or by a container's context parameters (e.g. a bench's {@code lode.model.as-of}) reach SQL.
   */
  public LodeOperatorTable(LodeConfig config) {
    this.config = java.util.Objects.requireNonNull(config, "config");
  }

  @Override
  public Map<String, Function> functions(Scope scope) {
    Map<String, org.apache.calcite.sql.SqlFunction> pushed = new LinkedHashMap<>();
    PUSHED.forEach(f -> pushed.put(f.getName(), f));
    dev.lode.udf.clickhouse.ClickHouseNatives.all().forEach(f -> pushed.put(f.getName(), f));
    dev.lode.sql.schema.NativeCalls.install(pushed);
    Warehouse warehouse = scope.warehouse();
    RecommendSettings recommendSettings = RecommendSettings.from(config);
    Recommender recommender = new Recommender(warehouse, recommendSettings);
    List<LodeFunction> all = new ArrayList<>(List.of(
        new FunnelFunction(scope.tables(), scope.convention(), scope.minGroupSize()),
        new FunnelPeopleFunction(scope.tables(), scope.convention()),
        new RetentionFunction(scope.tables(), scope.convention(), scope.minGroupSize()),
        new PathsFunction(scope.tables(), scope.convention(), scope.minGroupSize()),
        new SessionsFunction(scope.tables(), scope.convention()),
        new EventTrendsFunction(scope.tables(), scope.convention(), scope.minGroupSize()),
        new TagExplainFunction(scope.tables(), scope.convention()),
        new SimilarItemsFunction(scope.tables(), scope.convention(), recommender),
        new RecEvalFunction(scope.tables(), scope.convention(), new RecEvaluator(warehouse, recommendSettings))));
    if (scope.allowed().test("recommend")) {
      // recommend() reads the warehouse's own database: this schema's pool when that is its database
      DataSource own = scope.tables().getDataSource() instanceof WarehouseDataSource ds
          && ds.database().equals(warehouse.database()) ? ds : new WarehouseDataSource(warehouse, scope.timeoutSeconds());
      all.add(new RecommendFunction(own, recommender));
    }
    Map<String, Function> out = new LinkedHashMap<>();
    for (LodeFunction f : all) {
      if (scope.allowed().test(f.name())) {
        out.put(f.name(), f);
      }
    }
    WarehouseVersion.source(() -> version(warehouse));
    out.put("version", ScalarFunctionImpl.create(WarehouseVersion.class, "version"));
    return out;
  }

  @Override
  public Map<String, Table> tables(Scope scope) {
    Map<String, Table> out = new LinkedHashMap<>();
    if (scope.allowed().test("sessions")) {
      out.put("sessions", new NativeQueryTable(scope.tables(), scope.convention(), "sessions",
          SessionsFunction.tableSql(scope.sessionGapSeconds()), SessionsFunction::tableType));
    }
    out.put("functions", FunctionCatalog.of(() -> functions(scope), PUSHED,
        dev.lode.udf.clickhouse.ClickHouseNatives.all()));
    return out;
  }

  private static String version(Warehouse warehouse) {
    try (Connection c = warehouse.connect(); Statement st = c.createStatement();
         ResultSet rs = st.executeQuery("SELECT version()")) {
      rs.next();
      return rs.getString(1);
    } catch (SQLException e) {
      throw new IllegalStateException("cannot read the warehouse version: " + e.getMessage(), e);
    }
  }
}
