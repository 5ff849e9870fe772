package dev.lode.sql.server;

import dev.lode.config.Credentials;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Locale;

/** Writes one {@link QueryAuditLog} entry per statement a remote statement runs, when it ends (or nothing without a log). */
final class StatementAudit {
  private final QueryAuditLog log;

  StatementAudit(QueryAuditLog log) {
    this.log = log;
  }

  void begin(RemoteStatement s, String id, String sql) {
    s.auditId = id;
    s.auditSql = sql;
    s.auditStart = Instant.now();
  }

  /** Writes the audit entry of the statement running on {@code s}, once. */
  void end(RemoteStatement s, String status, long rows, String error) {
    if (s.auditSql == null) {
      return;
    }
    if (log != null) {
      Credentials.User u = s.owner.user;
      log.record(new QueryAuditLog.Entry(s.auditId, u.name(), u.role().name().toLowerCase(Locale.ROOT),
          s.auditStart, Instant.now(), s.auditSql, rows, status, error == null ? "" : error));
    }
    s.auditSql = null;
  }

  /** Records a statement refused or broken before it ran (it never reaches execute). */
  void refused(RemoteStatement s, String id, String sql, Throwable e) {
    begin(s, id, sql);
    end(s, e instanceof SecurityException ? "denied" : "failed", -1, e.getMessage());
  }

  /** Before an admin's statement the log is written out, so what an admin reads of it is complete. */
  void flushFor(RemoteConnection c) {
    if (log != null && c.user.role() == Credentials.Role.ADMIN) {
      try {
        log.flush();
      } catch (SQLException | RuntimeException e) {
        // the entries stay queued and the writer retries (and logs); the statement still runs
      }
    }
  }

  void close() {
    if (log != null) {
      log.close();
    }
  }
}
