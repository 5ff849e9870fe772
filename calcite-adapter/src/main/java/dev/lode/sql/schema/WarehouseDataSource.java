package dev.lode.sql.schema;

import dev.lode.warehouse.Warehouse;
import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.util.Properties;
import java.util.logging.Logger;
import javax.sql.DataSource;

/**
 * The {@link DataSource} Calcite's JDBC adapter pulls connections from: each one is a
 * {@link Warehouse#connect()} clickhouse-jdbc connection, so pushed-down SQL travels the
 * same path as every other warehouse query.
 */
public final class WarehouseDataSource implements DataSource {
  private static final int MAX_IDLE = 16;
  private final Warehouse warehouse;
  private final Properties settings;
  private final String database;
  private final java.util.concurrent.BlockingDeque<Connection> idle = new java.util.concurrent.LinkedBlockingDeque<>();

  /** Connections bounded by ClickHouse's own {@code max_execution_time} when {@code timeoutSeconds > 0}. */
  public WarehouseDataSource(Warehouse warehouse, int timeoutSeconds) {
    this(warehouse, warehouse.database(), timeoutSeconds);
  }

  /** Connections whose current database (where unqualified names resolve) is {@code database}. */
  public WarehouseDataSource(Warehouse warehouse, String database, int timeoutSeconds) {
    this.warehouse = warehouse;
    this.database = database;
    this.settings = new Properties();
    // unmatched rows of an outer join carry SQL NULLs, not the column type's default ('', 0, 1970)
    settings.setProperty("clickhouse_setting_join_use_nulls", "1");
    if (timeoutSeconds > 0) {
      settings.setProperty("clickhouse_setting_max_execution_time", Integer.toString(timeoutSeconds));
    }
  }

  public Warehouse warehouse() {
    return warehouse;
  }

  /** The database unqualified names resolve in. */
  public String database() {
    return database;
  }

  /**
   * A pooled connection: Calcite opens one per pushed-down query and closes it when the
   * result is read; opening a clickhouse-jdbc connection costs a round trip, so closed ones
   * go back to a small idle pool instead.
   */
  @Override
  public Connection getConnection() throws SQLException {
    Connection real = idle.pollFirst();
    while (real != null && real.isClosed()) {
      real = idle.pollFirst();
    }
    if (real == null) {
      // each data source pools connections to its own database only: a role's unqualified
      // names must never resolve in another role's database
      real = warehouse.connect(database, settings);
    }
    Connection c = real;
    java.util.concurrent.atomic.AtomicBoolean returned = new java.util.concurrent.atomic.AtomicBoolean();
    return (Connection) java.lang.reflect.Proxy.newProxyInstance(Connection.class.getClassLoader(),
        new Class<?>[] {Connection.class}, (proxy, method, args) -> {
          if (method.getName().equals("close") && method.getParameterCount() == 0) {
            if (!returned.compareAndSet(false, true)) {
              return null; // closed twice (the statement's close and the caller's): pooled once
            }
            if (!c.isClosed() && c.getAutoCommit() && idle.size() < MAX_IDLE) {
              idle.offerFirst(c);
            } else {
              c.close();
            }
            return null;
          }
          if (method.getName().equals("isClosed") && method.getParameterCount() == 0) {
            return returned.get() || c.isClosed();
          }
          if (returned.get()) {
            // the driver's connection may already be lent to another statement
            throw new SQLException("this pooled connection was closed; " + method.getName() + " is not allowed");
          }
          return wrap(invoke(c, method, args), (Connection) proxy, null);
        });
  }

  /**
   * Statements and result sets of a pooled connection that lead back to the pooled proxy, not
   * to the driver's connection: Calcite closes what it read with
   * {@code resultSet.getStatement().getConnection().close()}, which on the driver's own
   * connection would close it for good and cost a new clickhouse-jdbc client per query.
   */
  private static Object wrap(Object value, Connection connection, java.sql.Statement statement) {
    Class<?> type = value instanceof java.sql.CallableStatement ? java.sql.CallableStatement.class
        : value instanceof java.sql.PreparedStatement ? java.sql.PreparedStatement.class
        : value instanceof java.sql.Statement ? java.sql.Statement.class
        : value instanceof java.sql.ResultSet ? java.sql.ResultSet.class
        : null;
    if (type == null || java.lang.reflect.Proxy.isProxyClass(value.getClass())) {
      return value;
    }
    return java.lang.reflect.Proxy.newProxyInstance(Connection.class.getClassLoader(), new Class<?>[] {type},
        (proxy, method, args) -> {
          if (method.getParameterCount() == 0 && method.getName().equals("getConnection")) {
            return connection;
          }
          if (method.getParameterCount() == 0 && method.getName().equals("getStatement")) {
            return statement;
          }
          if (value instanceof java.sql.Statement st && method.getName().startsWith("execute")) {
            // a statement past its bound sends nothing more to ClickHouse; one cancelled later cancels this too
            StatementDeadline.check();
            StatementDeadline.running(st);
          }
          if (method.getParameterCount() == 0 && method.getName().equals("next")
              && value instanceof java.sql.ResultSet) {
            // Calcite's JVM-side joins and aggregates pull these rows: the statement's bound stops them too
            StatementDeadline.check();
          }
          Object r = invoke(value, method, args);
          return r instanceof java.sql.ResultSet && proxy instanceof java.sql.Statement st
              ? wrap(r, connection, st) : r;
        });
  }

  private static Object invoke(Object target, java.lang.reflect.Method method, Object[] args) throws Throwable {
    try {
      return method.invoke(target, args);
    } catch (java.lang.reflect.InvocationTargetException e) {
      throw e.getCause();
    }
  }

  @Override
  public Connection getConnection(String username, String password) throws SQLException {
    return getConnection();
  }

  @Override
  public PrintWriter getLogWriter() {
    return null;
  }

  @Override
  public void setLogWriter(PrintWriter out) {
    // logging goes through slf4j
  }

  @Override
  public void setLoginTimeout(int seconds) {
    // connections are local or pooled by the driver
  }

  @Override
  public int getLoginTimeout() {
    return 0;
  }

  @Override
  public Logger getParentLogger() throws SQLFeatureNotSupportedException {
    throw new SQLFeatureNotSupportedException();
  }

  @Override
  public <T> T unwrap(Class<T> iface) throws SQLException {
    if (iface.isInstance(this)) {
      return iface.cast(this);
    }
    throw new SQLException("not a wrapper for " + iface);
  }

  @Override
  public boolean isWrapperFor(Class<?> iface) {
    return iface.isInstance(this);
  }
}
