package dev.lode.collector;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The messageIds seen recently, per source, with the spool sequence that made each one
 * durable: a retry is answered only once the first copy is durable, and dropped. Bounded
 * to the newest {@code capacity} ids (oldest forgotten first); rebuilt at start from the
 * warehouse (ids received within the dedup window) and the spool tail.
 */
final class DedupIndex {
  /** Sequence for ids known durable (loaded at start). */
  static final long DURABLE = 0;
  /** Sequence of a claim whose batch is still being spooled. */
  static final long IN_FLIGHT = Long.MAX_VALUE;

  private final int capacity;
  private final ConcurrentHashMap<String, Long> seen = new ConcurrentHashMap<>();
  private final ConcurrentLinkedQueue<String> order = new ConcurrentLinkedQueue<>();
  private final AtomicInteger size = new AtomicInteger();

  DedupIndex(int capacity) {
    this.capacity = capacity;
  }

  static String key(String source, String eventId) {
    return source + '\u0000' + eventId;
  }

  /** Claims an id; returns null if it was new, else the sequence of its first copy. */
  Long claim(String key, long pendingSeq) {
    Long prev = seen.putIfAbsent(key, pendingSeq);
    if (prev == null) {
      order.add(key);
      if (size.incrementAndGet() > capacity) {
        String old = order.poll();
        if (old != null) {
          seen.remove(old);
          size.decrementAndGet();
        }
      }
    }
    return prev;
  }

  /** Records the spool sequence that carries a claimed id. */
  void settle(String key, long seq) {
    seen.replace(key, seq);
  }

  /** Forgets a claim whose batch could not be spooled, so a retry is accepted. */
  void release(String key) {
    if (seen.remove(key) != null) {
      order.remove(key);
      size.decrementAndGet();
    }
  }

  /** The sequence recorded for an id, or null if it is not (or no longer) claimed. */
  Long current(String key) {
    return seen.get(key);
  }

  int size() {
    return size.get();
  }
}
