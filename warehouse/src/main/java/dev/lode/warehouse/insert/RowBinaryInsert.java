package dev.lode.warehouse.insert;

import com.clickhouse.client.api.insert.InsertResponse;
import com.clickhouse.client.api.insert.InsertSettings;
import com.clickhouse.data.ClickHouseFormat;
import com.clickhouse.jdbc.ConnectionImpl;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.concurrent.ExecutionException;

/**
 * Streams rows into one {@code INSERT INTO t (cols) FORMAT RowBinary} over a
 * clickhouse-jdbc connection's client, the rows serialized by the caller as they are
 * produced: a whole file is one insert, never held in memory.
 */
public final class RowBinaryInsert {

  /** Produces the rows of one insert. */
  @FunctionalInterface
  public interface RowWriter {
    void write(RowBinaryOutput out) throws IOException;
  }

  private RowBinaryInsert() {
  }

  /** Runs the insert; returns the rows the server reports written (or -1 when it does not say). */
  public static long insert(Connection c, TargetTable table, RowWriter rows) throws SQLException {
    return insert(c, table, java.util.Map.of(), rows);
  }

  /** Runs the insert with these engine settings for it (names and values are the caller's constants). */
  public static long insert(Connection c, TargetTable table, java.util.Map<String, String> engineSettings,
                            RowWriter rows) throws SQLException {
    com.clickhouse.client.api.Client client = c.unwrap(ConnectionImpl.class).getClient();
    InsertSettings settings = new InsertSettings().compressClientRequest(false);
    engineSettings.forEach(settings::serverSetting);
    settings.setDatabase(c.getSchema() != null && !c.getSchema().isEmpty() ? c.getSchema() : c.getCatalog());
    try (InsertResponse r = client.insert(table.name(), table.columnNames(), out -> {
      RowBinaryOutput o = new RowBinaryOutput(out);
      rows.write(o);
      o.flush();
    }, ClickHouseFormat.RowBinary, settings).get()) {
      return r.getWrittenRows();
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      while (cause instanceof UncheckedIOException || (cause instanceof IOException && cause.getCause() != null
          && !(cause.getCause() instanceof IOException))) {
        if (cause.getCause() == null) {
          break;
        }
        cause = cause.getCause();
      }
      if (cause instanceof RuntimeException re && !(cause instanceof UncheckedIOException)) {
        throw re;
      }
      throw new SQLException("insert into " + table.name() + " failed: " + cause.getMessage(), cause);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new SQLException("insert into " + table.name() + " interrupted", e);
    }
  }
}
