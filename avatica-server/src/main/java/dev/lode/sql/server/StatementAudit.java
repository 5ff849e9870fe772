package dev.lode.sql.server;

import dev.lode.config.Credentials;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Locale;

/**
 * Writes two {@link QueryAuditLog} entries per statement a remote statement runs (or nothing
 * without a log): one with status {@code started} when it starts — so a statement is on record
 * even when the server dies or its client vanishes before it ends — and one with its real
 * outcome when it ends: {@code ok}, {@code failed}, {@code denied}, {@code timeout},
 * {@code cancelled}, {@code too_large}, {@code closed} (the client closed it before its last
 * row) or {@code expired} (its result was dropped unfetched).
 */
final class StatementAudit {
  private final QueryAuditLog log;

  StatementAudit(QueryAuditLog log) {
    this.log = log;
  }

  void begin(RemoteStatement s, String id, String sql) {
    s.auditId = id;
    s.auditSql = sql;
    s.auditStart = Instant.now();
    if (log != null) {
      Credentials.User u = s.owner.user;
      log.record(new QueryAuditLog.Entry(id, u.name(), u.role().name().toLowerCase(Locale.ROOT), s.auditStart,
          s.auditStart, sql, -1, "started", ""));
    }
  }

  /** Ends the entry of a statement that failed with {@code e}, with the outcome its SQLSTATE names. */
  void failed(RemoteStatement s, Throwable e) {
    SecurityException refused = ClientErrors.refusal(e);
    if (refused != null) {
      end(s, "denied", -1, refused.getMessage());
    } else {
      end(s, outcome(e), -1, e.getMessage());
    }
  }

  /** Ends the entry of a statement whose result is being closed or replaced: {@code closed} when rows were left. */
  void closing(RemoteStatement s) {
    if (s.rows != null) {
      end(s, "closed", s.rowsSent, "closed by the client after " + s.rowsSent + " rows, before the last");
    } else {
      end(s, "ok", s.rowsSent, "");
    }
  }

  /** The audit status of a statement that failed with {@code e}. */
  static String outcome(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof SQLException se && se.getSQLState() != null) {
        switch (se.getSQLState()) {
          case ClientErrors.TIMEOUT -> {
            return String.valueOf(se.getMessage()).startsWith("statement cancelled") ? "cancelled" : "timeout";
          }
          case ClientErrors.RESULT_TOO_LARGE, ResultMemory.OVER_BUDGET, ResultFrames.SPILL_FAILED -> {
            return "too_large";
          }
          default -> {
            // a plain failure, unless a cause says more
          }
        }
      }
    }
    return ClientErrors.isTimeout(e) ? "timeout" : "failed";
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
    failed(s, e);
  }

  /**
   * Before an admin's statement that may read the log ({@code audit.queries}, the warehouse's
   * {@code audit_queries}) the log is written out, so what the admin reads of it is complete.
   * Other statements do not wait for that insert: it cost every admin statement a round trip.
   */
  void flushFor(RemoteConnection c, String sql) {
    if (log != null && c.user.role() == Credentials.Role.ADMIN && mayReadLog(sql)) {
      try {
        log.flush();
      } catch (SQLException | RuntimeException e) {
        // the entries stay queued and the writer retries (and logs); the statement still runs
      }
    }
  }

  /** Whether {@code sql} names the log under any name it has (a superset: any text with "audit" or "queries"). */
  static boolean mayReadLog(String sql) {
    String t = sql == null ? "" : sql.toLowerCase(java.util.Locale.ROOT);
    return t.contains("audit") || t.contains("queries");
  }

  void close() {
    if (log != null) {
      log.close();
    }
  }
}
