package dev.lode.sql.schema;

import java.sql.SQLException;
import java.util.concurrent.atomic.AtomicReference;

/**
 * When the statement a thread is running must stop, and whether it was cancelled, as the rows
 * Calcite pulls from ClickHouse see it: {@link WarehouseDataSource}'s result sets look at it
 * while they are read, so work Calcite does in the JVM over those rows (a join or aggregate the
 * engine was not given) stops at the statement's timeout, or when its client went away, even
 * when it has produced no row yet — ClickHouse's {@code max_execution_time} covers only the
 * engine's part. Set by the SQL server around each statement it runs; unset means no bound.
 */
public final class StatementDeadline {
  /** SQLSTATE of a statement stopped at its timeout or cancelled (query canceled). */
  public static final String CANCELED = "57014";
  private static final ThreadLocal<StatementDeadline> CURRENT = new ThreadLocal<>();

  private final long deadlineNanos;
  private final int timeoutSeconds;
  private final AtomicReference<String> cancelled = new AtomicReference<>();
  private final java.util.List<java.sql.Statement> engineStatements = new java.util.concurrent.CopyOnWriteArrayList<>();

  /** A bound {@code timeoutSeconds} from now. */
  public StatementDeadline(int timeoutSeconds) {
    this.timeoutSeconds = timeoutSeconds;
    this.deadlineNanos = System.nanoTime() + timeoutSeconds * 1_000_000_000L;
  }

  /** Makes this the bound of the statement the calling thread runs, until {@link #clear}. */
  public void enter() {
    CURRENT.set(this);
  }

  /** Removes the calling thread's bound. */
  public static void clear() {
    CURRENT.remove();
  }

  /**
   * Stops the statement at its next look, with {@code reason} as its error (a client gone, a
   * budget hit), and cancels the ClickHouse queries it has running.
   */
  public void cancel(String reason) {
    if (cancelled.compareAndSet(null, reason)) {
      for (java.sql.Statement st : engineStatements) {
        try {
          st.cancel();
        } catch (java.sql.SQLException | RuntimeException ignored) {
          // finished or closed meanwhile: nothing left to cancel
        }
      }
    }
  }

  /** Registers a ClickHouse statement the calling thread's statement runs, for {@link #cancel}. */
  static void running(java.sql.Statement engineStatement) {
    StatementDeadline d = CURRENT.get();
    if (d != null) {
      d.engineStatements.add(engineStatement);
    }
  }

  /** Whether the bound has passed or the statement was cancelled. */
  public boolean over() {
    return cancelled.get() != null || System.nanoTime() - deadlineNanos > 0;
  }

  /** Throws SQLSTATE 57014 when the bound of the calling thread's statement has passed or it was cancelled. */
  public static void check() throws SQLException {
    StatementDeadline d = CURRENT.get();
    if (d != null) {
      d.throwIfOver();
    }
  }

  /** Throws SQLSTATE 57014 naming why, when {@link #over}. */
  public void throwIfOver() throws SQLException {
    String reason = cancelled.get();
    if (reason != null) {
      throw new SQLException("statement cancelled: " + reason, CANCELED);
    }
    if (System.nanoTime() - deadlineNanos > 0) {
      throw new SQLException("statement timeout: the query ran longer than lode.sql.timeout-seconds="
          + timeoutSeconds + " s and was stopped; narrow the time range or aggregate more", CANCELED);
    }
  }
}
