package dev.lode.bench;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A viewer's trivial queries timed every {@value #PERIOD_MS} ms over avatica-core while an
 * attack runs: {@code SELECT 1} and a small real one ({@code SELECT count(*) FROM tags}), each
 * on its own connection kept open as a BI tool keeps it, and each answer checked ({@code 1};
 * between ClickHouse's own counts of {@code tags} just before and just after it). A failed query
 * counts as a sample of the time it took to fail, and as an error.
 */
final class TrivialProber {
  static final long PERIOD_MS = 100;
  static final String ONE = "SELECT 1";
  static final String SMALL = "SELECT count(*) FROM tags";

  /** An attack, run once on its own thread; what it returns is its outcome, printed next to the figures. */
  interface Attack {
    String run() throws Exception;
  }

  /** The figures of one phase: every sample of both queries, their errors, and the attack's outcome. */
  record Phase(String name, String outcome, List<Long> oneMs, List<Long> smallMs, int errors, String firstError,
               double loadBefore, double loadAfter, ChildServer.HeapPeak heap, boolean serverUp, long tookMs) {
    List<Long> all() {
      List<Long> a = new ArrayList<>(oneMs);
      a.addAll(smallMs);
      Collections.sort(a);
      return a;
    }

    static long quantile(List<Long> sorted, double q) {
      return sorted.isEmpty() ? -1 : sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(q * sorted.size()) - 1));
    }

    long p50() {
      return quantile(all(), 0.50);
    }

    long p99() {
      return quantile(all(), 0.99);
    }

    long max() {
      List<Long> a = all();
      return a.isEmpty() ? -1 : a.getLast();
    }
  }

  private final ChildServer server;
  private Connection one;
  private Connection small;

  TrivialProber(ChildServer server) throws SQLException {
    this.server = server;
    this.one = server.sql("viewer", server.viewerPassword);
    this.small = server.sql("viewer", server.viewerPassword);
  }

  /** Probes while {@code attack} runs, and on until {@code minSamples} ticks were taken. */
  Phase measure(String name, int minSamples, Attack attack) throws Exception {
    long gcMark = server.gcMark();
    double loadBefore = DosBenchmark.loadAverage();
    List<Long> oneMs = new ArrayList<>();
    List<Long> smallMs = new ArrayList<>();
    int[] errors = new int[1];
    String[] firstError = new String[1];
    int[] wrong = new int[1];
    String[] firstWrong = new String[1];
    AtomicBoolean attacking = new AtomicBoolean(true);
    String[] outcome = new String[1];
    Throwable[] failed = new Throwable[1];
    long t0 = System.nanoTime();
    Thread attacker = Thread.ofPlatform().name("attack").start(() -> {
      try {
        outcome[0] = attack.run();
      } catch (Throwable t) {
        failed[0] = t;
      } finally {
        attacking.set(false);
      }
    });
    long before = server.count("SELECT count() FROM tags");
    long next = System.nanoTime();
    for (int tick = 0; attacking.get() || tick < minSamples; tick++) {
      long sleep = (next - System.nanoTime()) / 1_000_000;
      if (sleep > 0) {
        Thread.sleep(sleep);
      }
      next = Math.max(next + PERIOD_MS * 1_000_000, System.nanoTime());
      try {
        oneMs.add(timed(one, ONE, 1));
      } catch (WrongAnswer w) {
        throw w;
      } catch (SQLException | RuntimeException e) {
        errors[0]++;
        firstError[0] = firstError[0] == null ? String.valueOf(e) : firstError[0];
        oneMs.add(-lastElapsed);
        one = reopen(one);
      }
      try {
        smallMs.add(timed(small, SMALL, -1));
        // the catalog only grows (the tag scheduler registers definitions): the viewer's count must lie
        // between ClickHouse's just before and just after it, else it is a wrong answer (counted, never hidden)
        long after = server.count("SELECT count() FROM tags");
        if (lastAnswer < Math.min(before, after) || lastAnswer > Math.max(before, after)) {
          wrong[0]++;
          firstWrong[0] = firstWrong[0] == null ? SMALL + " answered " + lastAnswer + ", ClickHouse " + before
              + " just before and " + after + " just after" : firstWrong[0];
        }
        before = after;
      } catch (SQLException | RuntimeException e) {
        errors[0]++;
        firstError[0] = firstError[0] == null ? String.valueOf(e) : firstError[0];
        smallMs.add(-lastElapsed);
        small = reopen(small);
      }
    }
    attacker.join();
    long tookMs = (System.nanoTime() - t0) / 1_000_000;
    if (failed[0] != null) {
      throw new IllegalStateException("the attack '" + name + "' itself failed: " + failed[0], failed[0]);
    }
    // a failed sample was recorded negated (its time to fail): figures count it as that time
    oneMs.replaceAll(Math::abs);
    smallMs.replaceAll(Math::abs);
    String outcomeNoted = wrong[0] == 0 ? outcome[0] : outcome[0] + "; WRONG ANSWERS of the trivial query: "
        + wrong[0] + " (first: " + firstWrong[0] + ")";
    return new Phase(name, outcomeNoted, oneMs, smallMs, errors[0], firstError[0], loadBefore,
        DosBenchmark.loadAverage(), server.heapPeakSince(gcMark), server.alive(), tookMs);
  }

  private long lastElapsed;
  private long lastAnswer;

  /**
   * Milliseconds the query took; throws {@link WrongAnswer} if it did not answer {@code expected}
   * ({@code -1}: any number, kept in {@link #lastAnswer} for the caller to check).
   */
  private long timed(Connection c, String sql, long expected) throws SQLException {
    long t0 = System.nanoTime();
    try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
      if (!rs.next()) {
        throw new WrongAnswer(sql + " answered no row");
      }
      long got = rs.getLong(1);
      lastAnswer = got;
      if (expected >= 0 && got != expected) {
        throw new WrongAnswer(sql + " answered " + got + ", ClickHouse " + expected);
      }
      return (System.nanoTime() - t0) / 1_000_000;
    } finally {
      lastElapsed = (System.nanoTime() - t0) / 1_000_000;
    }
  }

  private Connection reopen(Connection c) {
    try {
      c.close();
    } catch (SQLException | RuntimeException ignored) {
      // the server may have dropped it already
    }
    try {
      return server.sql("viewer", server.viewerPassword);
    } catch (SQLException e) {
      return c;
    }
  }

  void close() throws SQLException {
    one.close();
    small.close();
  }

  /** A trivial query's answer differs from ClickHouse's. */
  static final class WrongAnswer extends RuntimeException {
    WrongAnswer(String message) {
      super(message);
    }
  }
}
