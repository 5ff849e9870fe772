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

  /**
   * The spool sequence carrying the ids one request claimed: {@link #IN_FLIGHT} until its
   * batch is appended. One per request, so settling a request's ids is one write rather
   * than a map update per id.
   */
  static final class Claim {
    private volatile long seq;

    Claim(long seq) {
      this.seq = seq;
    }

    long seq() {
      return seq;
    }

    void settle(long appendedSeq) {
      seq = appendedSeq;
    }
  }

  /** The claim of every id known durable at start. */
  static final Claim DURABLE_CLAIM = new Claim(DURABLE);

  private final int capacity;
  private final ConcurrentHashMap<String, Claim> seen;
  private final ConcurrentLinkedQueue<String> order = new ConcurrentLinkedQueue<>();
  private final AtomicInteger size = new AtomicInteger();

  DedupIndex(int capacity) {
    this.capacity = capacity;
    // sized for a good part of the capacity up front: growing the table under load made
    // every request thread help move it
    this.seen = new ConcurrentHashMap<>(Math.min(capacity, 1 << 18));
  }

  static String key(String source, String eventId) {
    return source + '\u0000' + eventId;
  }

  /** Claims an id for {@code claim}; returns null if it was new, else the claim of its first copy. */
  Claim claim(String key, Claim claim) {
    Claim prev = seen.putIfAbsent(key, claim);
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

  /** Forgets an id this claim holds, whose batch will never be durable, so a retry is accepted. */
  void release(String key, Claim claim) {
    if (seen.remove(key, claim)) {
      order.remove(key);
      size.decrementAndGet();
    }
  }

  /** The sequence recorded for an id ({@link #IN_FLIGHT} while being spooled), or null if it is not (or no longer) claimed. */
  Long current(String key) {
    Claim c = seen.get(key);
    return c == null ? null : c.seq();
  }

  int size() {
    return size.get();
  }
}
