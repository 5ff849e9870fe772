package dev.lode.console;

import dev.lode.config.Credentials;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * Answers of aggregate-only queries (the data-quality checks and daily shares: counts and
 * shares, never one person's row) kept per role for {@code lode.console.aggregate-cache-seconds}
 * (default 60): every user of a role sees the same masked relations, those figures move by the
 * minute at most, and computing them over all events on every page view was the console's one
 * load a user would notice. Person-level pages are never cached: each view runs, and is
 * audited, as the user.
 */
public final class AggregateCache {
  private record Key(Credentials.Role role, String sql, List<Object> parameters) {
  }

  private record Entry(PageFrame.Answer answer, long atNanos) {
  }

  private final Map<Key, Entry> answers = new ConcurrentHashMap<>();
  private final long ttlNanos;

  public AggregateCache(long seconds) {
    this.ttlNanos = seconds * 1_000_000_000L;
  }

  /** Forgets every answer. */
  void clear() {
    answers.clear();
  }

  /** The role's answer to {@code sql}, computed by {@code compute} when absent, stale or failed. */
  PageFrame.Answer get(Credentials.Role role, String sql, List<Object> parameters, Supplier<PageFrame.Answer> compute) {
    Key k = new Key(role, sql, parameters);
    Entry e = answers.get(k);
    long now = System.nanoTime();
    if (e != null && now - e.atNanos() < ttlNanos) {
      return e.answer();
    }
    PageFrame.Answer a = compute.get();
    if (a.ok() && ttlNanos > 0) {
      answers.put(k, new Entry(a, now));
    }
    return a;
  }
}
