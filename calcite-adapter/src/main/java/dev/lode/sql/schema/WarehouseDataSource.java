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
  private final Warehouse warehouse;
  private final Properties settings;

  /** Connections bounded by ClickHouse's own {@code max_execution_time} when {@code timeoutSeconds > 0}. */
  public WarehouseDataSource(Warehouse warehouse, int timeoutSeconds) {
    this.warehouse = warehouse;
    this.settings = new Properties();
    if (timeoutSeconds > 0) {
      settings.setProperty("clickhouse_setting_max_execution_time", Integer.toString(timeoutSeconds));
    }
  }

  public Warehouse warehouse() {
    return warehouse;
  }

  @Override
  public Connection getConnection() throws SQLException {
    return warehouse.connect(settings);
  }

  @Override
  public Connection getConnection(String username, String password) throws SQLException {
    return warehouse.connect(settings);
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
