package dev.lode.sql.server;

import dev.lode.warehouse.Warehouse;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The audit log of SQL statements served over JDBC ({@code audit_queries}, read by admins as
 * {@code audit.queries}): who ran what, as which role, when, for how long, how many rows.
 * Entries are batched in memory and written every second, on {@link #flush} (before an
 * admin's statement, so the log an admin reads is complete) and on close; a failed write
 * keeps the entries for the next attempt.
 */
public final class QueryAuditLog implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(QueryAuditLog.class);
  private static final int MAX_PENDING = 100_000;
  private static final int MAX_STATEMENT_CHARS = 100_000;

  /** One finished statement. */
  public record Entry(String queryId, String user, String role, Instant startedAt, Instant finishedAt,
                      String statement, long rows, String status, String error) {
  }

  private final Warehouse warehouse;
  private final List<Entry> pending = new ArrayList<>();
  private final Object writeLock = new Object();
  private final ScheduledExecutorService writer = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "lode-sql-audit");
    t.setDaemon(true);
    return t;
  });

  public QueryAuditLog(Warehouse warehouse) {
    this.warehouse = warehouse;
    writer.scheduleWithFixedDelay(this::flushQuietly, 1, 1, TimeUnit.SECONDS);
  }

  /** Queues one entry. */
  public void record(Entry e) {
    synchronized (pending) {
      if (pending.size() >= MAX_PENDING) {
        // the warehouse has been unwritable for a long time: keep the newest, say so
        LOG.error("SQL audit log: {} entries could not be written; dropping the oldest", pending.size());
        pending.removeFirst();
      }
      pending.add(e);
    }
  }

  /** Writes every queued entry now. */
  public void flush() throws SQLException {
    synchronized (writeLock) {
      List<Entry> batch;
      synchronized (pending) {
        if (pending.isEmpty()) {
          return;
        }
        batch = new ArrayList<>(pending);
        pending.clear();
      }
      try (Connection c = warehouse.connect();
           PreparedStatement ps = c.prepareStatement("INSERT INTO audit_queries (query_id, user, role, started_at,"
               + " finished_at, duration_ms, statement, rows, status, error) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
        for (Entry e : batch) {
          ps.setString(1, e.queryId());
          ps.setString(2, e.user());
          ps.setString(3, e.role());
          ps.setTimestamp(4, Timestamp.from(e.startedAt()));
          ps.setTimestamp(5, Timestamp.from(e.finishedAt()));
          ps.setLong(6, Math.max(0, e.finishedAt().toEpochMilli() - e.startedAt().toEpochMilli()));
          String sql = e.statement() == null ? "" : e.statement();
          ps.setString(7, sql.length() > MAX_STATEMENT_CHARS ? sql.substring(0, MAX_STATEMENT_CHARS) + "…" : sql);
          ps.setLong(8, e.rows());
          ps.setString(9, e.status());
          ps.setString(10, e.error() == null ? "" : e.error());
          ps.addBatch();
        }
        ps.executeBatch();
      } catch (SQLException | RuntimeException ex) {
        synchronized (pending) {
          pending.addAll(0, batch);
        }
        throw ex;
      }
    }
  }

  private void flushQuietly() {
    try {
      flush();
    } catch (SQLException | RuntimeException e) {
      LOG.warn("SQL audit log: write failed, will retry: {}", e.getMessage());
    }
  }

  @Override
  public void close() {
    writer.shutdownNow();
    flushQuietly();
  }
}
