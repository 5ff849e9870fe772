package dev.lode.sql.server;

import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The memory the results held for clients take, estimated row by row as they are read and
 * counted per statement and per user: a result that would take more than its statement's
 * budget, or push its user's held results over theirs, is dropped and its statement fails
 * with SQLSTATE 53200 naming the budget, so one client leaving results unfetched cannot fill
 * the heap the other users' queries need.
 */
final class ResultMemory {
  /** SQLSTATE of a result over a memory budget (out of memory). */
  static final String OVER_BUDGET = "53200";
  private static final long MB = 1024L * 1024L;

  private final long statementBytes;
  private final long userBytes;
  private final Map<String, AtomicLong> heldByUser = new ConcurrentHashMap<>();

  ResultMemory(long statementBytes, long userBytes) {
    this.statementBytes = statementBytes;
    this.userBytes = userBytes;
  }

  /** Counts one more row of {@code s}'s result; over a budget it releases what {@code s} held and throws. */
  void add(RemoteStatement s, Object[] row) throws SQLException {
    long bytes = estimate(row);
    s.heldBytes += bytes;
    AtomicLong user = heldByUser.computeIfAbsent(s.owner.user.name(), k -> new AtomicLong());
    long userTotal = user.addAndGet(bytes);
    if (s.heldBytes > statementBytes) {
      release(s);
      throw new SQLException("result too large for memory: one statement's result may hold at most"
          + " lode.sql.statement-memory-mb=" + statementBytes / MB + " MB in the server; add a LIMIT, select fewer"
          + " columns or aggregate", OVER_BUDGET);
    }
    if (userTotal > userBytes) {
      release(s);
      throw new SQLException("result too large for memory: the open results of user '" + s.owner.user.name()
          + "' would hold more than lode.sql.user-memory-mb=" + userBytes / MB + " MB in the server; fetch or close"
          + " the results you left open, or add a LIMIT", OVER_BUDGET);
    }
  }

  /** Gives back what {@code s}'s result held (once: the count is zeroed). */
  void release(RemoteStatement s) {
    long bytes = s.heldBytes;
    s.heldBytes = 0;
    if (bytes != 0) {
      heldByUser.computeIfPresent(s.owner.user.name(), (k, v) -> v.addAndGet(-bytes) <= 0 ? null : v);
    }
  }

  /** What the results held for {@code user} take now, in bytes (for tests and status). */
  long heldBy(String user) {
    AtomicLong v = heldByUser.get(user);
    return v == null ? 0 : v.get();
  }

  /** A row's size on the heap, estimated from the values {@link ResultFrames} makes: boxed numbers, strings, lists. */
  static long estimate(Object[] row) {
    long bytes = 16 + 8L * row.length;
    for (Object v : row) {
      bytes += estimateValue(v);
    }
    return bytes;
  }

  private static long estimateValue(Object v) {
    if (v == null) {
      return 0;
    }
    if (v instanceof String s) {
      return 48 + 2L * s.length();
    }
    if (v instanceof List<?> list) {
      long bytes = 40 + 8L * list.size();
      for (Object e : list) {
        bytes += estimateValue(e);
      }
      return bytes;
    }
    if (v instanceof byte[] b) {
      return 16 + b.length;
    }
    if (v instanceof java.math.BigDecimal) {
      return 64;
    }
    return 24;
  }
}
