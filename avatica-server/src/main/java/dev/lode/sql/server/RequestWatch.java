package dev.lode.sql.server;

import dev.lode.sql.schema.StatementDeadline;

/**
 * What the HTTP layer knows of the client of one request while it is served: when it notices
 * the client has gone (its connection closed), the statement the request is running is cancelled
 * at its next look at its {@link StatementDeadline} — the rows Calcite pulls from ClickHouse and
 * the result being read both look — and its ClickHouse queries are cancelled.
 */
public final class RequestWatch {
  private volatile StatementDeadline running;
  private volatile String gone;

  /** The client of this request went away: stop what it runs. */
  public void gone(String reason) {
    gone = reason;
    StatementDeadline d = running;
    if (d != null) {
      d.cancel(reason);
    }
  }

  /** Whether {@link #gone} was called. */
  public boolean isGone() {
    return gone != null;
  }

  /** The statement this request runs now, or null when it runs none. */
  void running(StatementDeadline d) {
    running = d;
    String reason = gone;
    if (d != null && reason != null) {
      d.cancel(reason);
    }
  }
}
