package dev.lode.sql.server;

import dev.lode.privacy.ErasureStore;
import dev.lode.privacy.ErasureStores;
import dev.lode.privacy.ErasureSubject;
import dev.lode.warehouse.Warehouse;
import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The audit log of SQL statements served over JDBC ({@code audit_queries}, read by admins as
 * {@code audit.queries}): who ran what, as which role, when, for how long, how many rows.
 * Entries are batched in memory and written every second, on {@link #flush} (before an
 * admin's statement that may read the log, so what an admin reads of it is complete), before
 * an erasure scrubs the log (it is an {@link ErasureStore} of its queued entries) and on close;
 * a failed write keeps the entries for the next attempt.
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

  private final ErasureStore queued = new QueuedEntries();

  public QueryAuditLog(Warehouse warehouse) {
    this(warehouse, Duration.ofSeconds(1));
  }

  /** A log written every {@code every} (tests hold entries queued with a long period). */
  QueryAuditLog(Warehouse warehouse, Duration every) {
    this.warehouse = warehouse;
    writer.scheduleWithFixedDelay(this::flushQuietly, every.toMillis(), every.toMillis(), TimeUnit.MILLISECONDS);
    ErasureStores.register(queued);
  }

  /** The erasure store of the entries queued and not yet written (registered while the log is open). */
  ErasureStore queuedEntries() {
    return queued;
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
    ErasureStores.unregister(queued);
    writer.shutdownNow();
    flushQuietly();
  }

  /**
   * The entries still queued, as an erasure sees them: it writes them out before the warehouse
   * is cleaned, so the scrub of {@code audit_queries} reaches a statement that named the person
   * a moment ago (an admin's statements no longer wait for the log's insert).
   */
  private final class QueuedEntries implements ErasureStore {
    @Override
    public String name() {
      return "audit_queries (queued, written before the scrub)";
    }

    @Override
    public long erase(ErasureSubject subject) throws IOException {
      List<String> ids = subject.all().stream().filter(v -> v.length() >= 3).map(v -> v.toLowerCase(Locale.ROOT)).toList();
      long naming;
      synchronized (pending) {
        naming = pending.stream().filter(e -> names(e, ids)).count();
      }
      try {
        flush();
      } catch (SQLException e) {
        throw new IOException("the SQL audit log's queued entries could not be written before the erasure's scrub: "
            + e.getMessage(), e);
      }
      return naming;
    }

    /** Whether the entry's text or error contains one of {@code ids}, ignoring case, as the scrub matches. */
    private static boolean names(Entry e, List<String> ids) {
      String text = ((e.statement() == null ? "" : e.statement()) + "\n" + (e.error() == null ? "" : e.error()))
          .toLowerCase(Locale.ROOT);
      return ids.stream().anyMatch(text::contains);
    }
  }
}
