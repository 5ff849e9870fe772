package dev.lode.warehouse;

import dev.lode.config.SecretFile;
import dev.lode.config.LodeConfig;
import dev.lode.engine.ClickHouseHttpEndpoint;
import dev.lode.engine.EmbeddedEngine;
import dev.lode.engine.EngineConfig;
import dev.lode.warehouse.cluster.ClusterLayout;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Optional;
import java.util.Properties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one way Lode reaches ClickHouse: clickhouse-jdbc, pointed either at the embedded
 * engine's loopback ClickHouse-HTTP endpoint (the default) or at a ClickHouse server or
 * cluster named by {@code lode.warehouse.url}. Opening it applies the schema migrations.
 */
public final class Warehouse implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Warehouse.class);

  private static final java.sql.Driver DRIVER = new com.clickhouse.jdbc.ClickHouseDriver();

  private final String jdbcUrl;
  private final String database;
  private final Properties credentials;
  private final EmbeddedEngine engine;
  private final ClickHouseHttpEndpoint endpoint;
  private final boolean ownsEngine;
  private final ClusterLayout cluster;

  private Warehouse(String jdbcUrl, String database, Properties credentials, EmbeddedEngine engine,
                    ClickHouseHttpEndpoint endpoint, ClusterLayout cluster) {
    this(jdbcUrl, database, credentials, engine, endpoint, true, cluster);
  }

  private Warehouse(String jdbcUrl, String database, Properties credentials, EmbeddedEngine engine,
                    ClickHouseHttpEndpoint endpoint, boolean ownsEngine, ClusterLayout cluster) {
    this.ownsEngine = ownsEngine;
    this.cluster = cluster;
    this.jdbcUrl = jdbcUrl;
    this.database = database;
    this.credentials = credentials;
    this.engine = engine;
    this.endpoint = endpoint;
  }

  /** Opens the configured warehouse (starting the embedded engine if no URL is set) and migrates the schema. */
  public static Warehouse open(LodeConfig config) {
    Warehouse w = connectOnly(config);
    try {
      new SchemaMigrator(w).migrate();
    } catch (RuntimeException e) {
      w.close();
      throw e;
    }
    return w;
  }

  /** Opens the warehouse without migrating; for tools that only read. */
  public static Warehouse connectOnly(LodeConfig config) {
    String database = config.get("lode.warehouse.database", "lode");
    if (!database.matches("[A-Za-z_][A-Za-z0-9_]*")) {
      throw new IllegalArgumentException("lode.warehouse.database must be a plain identifier, got '" + database + "'");
    }
    Optional<String> url = config.get("lode.warehouse.url");
    Optional<String> clusterName = config.get("lode.warehouse.cluster");
    Properties creds = new Properties();
    if (url.isPresent()) {
      creds.setProperty("user", config.get("lode.warehouse.user", "default"));
      creds.setProperty("password", config.get("lode.warehouse.password", ""));
      ClusterLayout cluster = clusterName.map(n -> new ClusterLayout(n, database,
          config.get("lode.warehouse.cluster.keeper-path", ClusterLayout.DEFAULT_KEEPER_ROOT))).orElse(null);
      return new Warehouse(url.get(), database, creds, null, null, cluster);
    }
    if (clusterName.isPresent()) {
      throw new IllegalArgumentException("lode.warehouse.cluster=" + clusterName.get() + " needs lode.warehouse.url"
          + " (a server of that cluster): the embedded engine is one node");
    }
    Path dataDir = config.dataDir();
    String password = embeddedPassword(dataDir);
    EngineConfig ec = EngineConfig.defaults(dataDir.resolve("clickhouse"), "lode", password)
        .withSessions(config.getInt("lode.engine.sessions", 4))
        .withPort(config.getInt("lode.engine.port", 0))
        .withRegistry(config.get("lode.engine.npm-registry", EngineConfig.DEFAULT_REGISTRY));
    Optional<String> lib = config.get("lode.engine.library");
    if (lib.isPresent()) {
      ec = ec.withLibrary(Path.of(lib.get()));
    }
    EmbeddedEngine engine = EmbeddedEngine.start(ec);
    ClickHouseHttpEndpoint endpoint;
    try {
      endpoint = ClickHouseHttpEndpoint.start(engine, ec.port(), ec.user(), ec.password(), ec.sessions() * 2);
    } catch (IOException e) {
      engine.close();
      throw new UncheckedIOException("cannot bind the embedded engine's loopback port " + ec.port(), e);
    }
    creds.setProperty("user", ec.user());
    creds.setProperty("password", password);
    String jdbcUrl = "jdbc:clickhouse:" + endpoint.url();
    LOG.info("embedded ClickHouse {} serving {} for clickhouse-jdbc", engine.version(), endpoint.url());
    return new Warehouse(jdbcUrl, database, creds, engine, endpoint, null);
  }

  /** The embedded engine's password: generated once per data directory, kept in a file only its owner can read. */
  private static String embeddedPassword(Path dataDir) {
    return SecretFile.readOrCreate(dataDir.resolve("engine.password"), 24);
  }

  /**
   * The same engine or server with Lode's tables in another database, migrated; it shares
   * this warehouse's engine and closing it closes nothing. Tests use it to keep one
   * suite's fixtures out of another's answers.
   */
  public Warehouse inDatabase(String otherDatabase) {
    if (!otherDatabase.matches("[A-Za-z_][A-Za-z0-9_]*")) {
      throw new IllegalArgumentException("not a database name: " + otherDatabase);
    }
    Warehouse w = new Warehouse(jdbcUrl, otherDatabase, credentials, engine, endpoint, false,
        cluster == null ? null : cluster.inDatabase(otherDatabase));
    new SchemaMigrator(w).migrate();
    return w;
  }

  /** A new clickhouse-jdbc connection to Lode's database. */
  public Connection connect() throws SQLException {
    return connect(database);
  }

  /** A new clickhouse-jdbc connection with {@code db} as the current database. */
  public Connection connect(String db) throws SQLException {
    return connect(db, new Properties());
  }

  /**
   * A new connection to Lode's database with extra clickhouse-jdbc properties, e.g.
   * {@code clickhouse_setting_max_execution_time} to bound every query it runs.
   */
  public Connection connect(Properties extra) throws SQLException {
    return connect(database, extra);
  }

  /** A new connection with {@code db} as the current database and extra clickhouse-jdbc properties. */
  public Connection connect(String db, Properties extra) throws SQLException {
    Properties p = new Properties();
    p.putAll(extra);
    p.putAll(credentials);
    p.setProperty("database", db);
    if (endpoint != null) {
      p.setProperty("compress", "false"); // loopback: no ClickHouse-framed LZ4
    }
    if (cluster != null) {
      // an insert through a Distributed table returns once every shard has its rows (read-your-writes for the
      // loaders and refreshes that read what they just wrote); a join or IN over a second sharded table is
      // computed once and sent to the shards (GLOBAL) instead of being refused
      p.putIfAbsent("clickhouse_setting_distributed_foreground_insert", "1");
      p.putIfAbsent("clickhouse_setting_distributed_product_mode", "global");
    }
    // the driver directly, not DriverManager: in a servlet container the driver sits in the
    // web application's class loader, which DriverManager's registry does not see
    Connection c = DRIVER.connect(jdbcUrl, p);
    if (c == null) {
      throw new SQLException("clickhouse-jdbc does not accept the URL " + jdbcUrl);
    }
    return c;
  }

  /** The clickhouse-jdbc URL (without credentials). */
  public String jdbcUrl() {
    return jdbcUrl;
  }

  public String database() {
    return database;
  }

  /** The cluster Lode's tables are spread over ({@code lode.warehouse.cluster}); empty on one server. */
  public Optional<ClusterLayout> cluster() {
    return Optional.ofNullable(cluster);
  }

  /**
   * What an {@code ALTER TABLE … UPDATE/DELETE/DROP PARTITION} or {@code TRUNCATE TABLE} of
   * {@code table} names: the table on one server; on a cluster its local twin (a sharded table) or
   * itself, {@code ON CLUSTER} — a Distributed table has no parts to change.
   */
  public String mutationTarget(String table) {
    return cluster == null ? SqlLiteral.identifier(table) : cluster.alterTarget(table);
  }

  public boolean embedded() {
    return engine != null;
  }

  /** The embedded engine, when this warehouse runs one. */
  public Optional<EmbeddedEngine> engine() {
    return Optional.ofNullable(engine);
  }

  @Override
  public void close() {
    if (!ownsEngine) {
      return;
    }
    if (endpoint != null) {
      endpoint.close();
    }
    if (engine != null) {
      engine.close();
    }
  }
}
