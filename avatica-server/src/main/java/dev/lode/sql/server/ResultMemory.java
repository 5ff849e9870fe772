package dev.lode.sql.server;

import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The memory and disk the results held for clients take, estimated row by row as they are
 * read and counted per statement, per user and for all users together: rows past the statement's
 * memory budget, past its user's across all their open results, or past what every open result
 * of the server may hold, go to a {@link ResultSpill} file instead of the heap, so neither one
 * client nor several leaving results unfetched can fill the heap the other users' queries need;
 * a result that would push its user's spilled rows past their disk budget is dropped and its
 * statement fails with SQLSTATE 53200 naming the budget.
 */
final class ResultMemory {
  /** SQLSTATE of a result over a memory budget (out of memory). */
  static final String OVER_BUDGET = "53200";
  private static final long MB = 1024L * 1024L;

  private final long statementBytes;
  private final long userBytes;
  private final long allBytes;
  private final long userSpillBytes;
  private final Map<String, AtomicLong> heldByUser = new ConcurrentHashMap<>();
  private final AtomicLong heldByAll = new AtomicLong();
  private final Map<String, AtomicLong> spilledByUser = new ConcurrentHashMap<>();

  ResultMemory(long statementBytes, long userBytes, long allBytes, long userSpillBytes) {
    this.statementBytes = statementBytes;
    this.userBytes = userBytes;
    this.allBytes = allBytes;
    this.userSpillBytes = userSpillBytes;
  }

  /**
   * Whether a row of {@code bytes} of {@code s}'s result may stay on the heap (and counts it if
   * so): not once the result has started spilling, nor past the statement's, the user's or all
   * users' budget.
   */
  boolean keep(RemoteStatement s, long bytes) {
    if (s.spill != null || s.heldBytes + bytes > statementBytes) {
      return false;
    }
    AtomicLong user = heldByUser.computeIfAbsent(s.owner.user.name(), k -> new AtomicLong());
    if (user.addAndGet(bytes) > userBytes) {
      user.addAndGet(-bytes);
      return false;
    }
    if (heldByAll.addAndGet(bytes) > allBytes) {
      heldByAll.addAndGet(-bytes);
      user.addAndGet(-bytes);
      return false;
    }
    s.heldBytes += bytes;
    return true;
  }

  /** Counts a row of {@code bytes} written to {@code s}'s spill file; past the user's disk budget it releases {@code s} and throws. */
  void spilled(RemoteStatement s, long bytes) throws SQLException {
    s.spilledBytes += bytes;
    long total = spilledByUser.computeIfAbsent(s.owner.user.name(), k -> new AtomicLong()).addAndGet(bytes);
    if (total > userSpillBytes) {
      release(s);
      throw new SQLException("result too large: the open results of user '" + s.owner.user.name() + "' would spill"
          + " more than lode.sql.user-spill-mb=" + userSpillBytes / MB + " MB to disk in the server; fetch or close"
          + " the results you left open, add a LIMIT or aggregate", OVER_BUDGET);
    }
  }

  /** Gives back what {@code s}'s result held on the heap and on disk (once: the counts are zeroed). */
  void release(RemoteStatement s) {
    long bytes = s.heldBytes;
    s.heldBytes = 0;
    if (bytes != 0) {
      heldByUser.computeIfPresent(s.owner.user.name(), (k, v) -> v.addAndGet(-bytes) <= 0 ? null : v);
      heldByAll.addAndGet(-bytes);
    }
    long spilled = s.spilledBytes;
    s.spilledBytes = 0;
    if (spilled != 0) {
      spilledByUser.computeIfPresent(s.owner.user.name(), (k, v) -> v.addAndGet(-spilled) <= 0 ? null : v);
    }
  }

  /** What the results held for every user take now, in bytes. */
  long heldByAll() {
    return heldByAll.get();
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
