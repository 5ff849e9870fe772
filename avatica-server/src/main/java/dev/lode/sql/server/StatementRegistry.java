package dev.lode.sql.server;

import java.sql.SQLException;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.calcite.avatica.Meta.StatementHandle;
import org.apache.calcite.avatica.NoSuchStatementException;

/**
 * Numbers, finds and closes the statements of remote connections; closing one ends its audit
 * entry and gives back the memory its held result took.
 */
final class StatementRegistry {
  private final AtomicInteger ids = new AtomicInteger();
  private final StatementAudit audit;
  private final ResultFrames frames;

  StatementRegistry(StatementAudit audit, ResultFrames frames) {
    this.audit = audit;
    this.frames = frames;
  }

  /** A fresh statement id, unique across connections (metadata results use them too). */
  int nextId() {
    return ids.incrementAndGet();
  }

  /** A new plain statement on {@code c}, registered under a fresh id. */
  StatementHandle create(String connectionId, RemoteConnection c) {
    int id = nextId();
    RemoteStatement s = new RemoteStatement(c);
    try {
      s.statement = c.calcite.createStatement();
    } catch (SQLException e) {
      throw new IllegalStateException(e.getMessage(), e);
    }
    c.statements.put(id, s);
    return new StatementHandle(connectionId, id, null);
  }

  RemoteStatement get(RemoteConnection c, StatementHandle h) throws NoSuchStatementException {
    RemoteStatement s = c.statements.get(h.id);
    if (s == null) {
      throw new NoSuchStatementException(h);
    }
    return s;
  }

  void close(RemoteConnection c, int id) {
    RemoteStatement s = c.statements.remove(id);
    if (s != null) {
      close(s);
    }
  }

  void close(RemoteStatement s) {
    // a statement still running (on another request) stops at its next look at its bound
    s.bound.cancel("the client closed the statement");
    audit.closing(s);
    synchronized (s) {
      frames.drop(s);
    }
    s.closeJdbc();
  }

  /**
   * Drops the held result of {@code s} if no frame of it was fetched for {@code idleNanos}: its
   * audit entry ends as {@code expired} and a later fetch is told why.
   */
  void expireIfIdle(RemoteStatement s, long idleNanos, int idleSeconds) {
    synchronized (s) {
      if (s.rows != null && System.nanoTime() - s.lastFetched > idleNanos) {
        frames.drop(s);
        s.dropped = "the result was dropped after " + idleSeconds + " s without a fetch (lode.sql.result-idle-seconds="
            + idleSeconds + "); run the statement again and fetch its rows";
        audit.end(s, "expired", s.rowsSent, s.dropped);
      }
    }
  }

  /** Drops the statement's current result (ending its audit entry) before it runs again. */
  void closeResult(RemoteStatement s) {
    audit.closing(s);
    if (s.resultSet != null) {
      try {
        s.resultSet.close();
      } catch (SQLException ignored) {
        // replaced by the next result
      }
      s.resultSet = null;
    }
    synchronized (s) {
      frames.drop(s);
      s.dropped = null;
    }
    s.rowsSent = 0;
  }
}
