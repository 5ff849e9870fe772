package dev.lode.sql.server;

import java.sql.SQLException;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.calcite.avatica.Meta.StatementHandle;
import org.apache.calcite.avatica.NoSuchStatementException;

/** Numbers, finds and closes the statements of remote connections; closing one ends its audit entry. */
final class StatementRegistry {
  private final AtomicInteger ids = new AtomicInteger();
  private final StatementAudit audit;

  StatementRegistry(StatementAudit audit) {
    this.audit = audit;
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
    audit.end(s, "ok", s.rowsSent, "");
    s.closeJdbc();
  }

  /** Drops the statement's current result (ending its audit entry) before it runs again. */
  void closeResult(RemoteStatement s) {
    audit.end(s, "ok", s.rowsSent, "");
    if (s.resultSet != null) {
      try {
        s.resultSet.close();
      } catch (SQLException ignored) {
        // replaced by the next result
      }
      s.resultSet = null;
    }
    s.rows = null;
    s.rowsSent = 0;
  }
}
