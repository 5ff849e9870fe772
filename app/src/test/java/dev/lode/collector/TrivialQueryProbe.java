package dev.lode.collector;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Times a trivial query, each answer checked against ClickHouse's own, while an attack runs on
 * another thread: the availability tests' measure of whether good clients are still served.
 */
final class TrivialQueryProbe {
  /** An attack, run once while the trivial query is timed. */
  interface Attack {
    void run() throws Exception;
  }

  /** A count asked of the server under test or of ClickHouse natively. */
  interface Count {
    long get() throws Exception;
  }

  private TrivialQueryProbe() {
  }

  /**
   * Runs {@code attack} while timing {@code lode} every {@code pauseMillis}, at least {@code samples}
   * times. Each answer must lie between {@code clickHouse}'s answers just before and just after it:
   * the count the probes use (the tag catalog) only grows, while the tag scheduler registers
   * definitions, so Lode's answer may equal either, and anything outside them is a wrong number.
   */
  static List<Long> during(Attack attack, int samples, long pauseMillis, Count lode, Count clickHouse)
      throws Exception {
    List<Long> times = Collections.synchronizedList(new ArrayList<>());
    AtomicBoolean attacking = new AtomicBoolean(true);
    Throwable[] failed = new Throwable[1];
    Thread attacker = Thread.ofPlatform().start(() -> {
      try {
        attack.run();
      } catch (Throwable t) {
        failed[0] = t;
      } finally {
        attacking.set(false);
      }
    });
    long before = clickHouse.get();
    while (attacking.get() || times.size() < samples) {
      long t0 = System.nanoTime();
      long got = lode.get();
      times.add((System.nanoTime() - t0) / 1_000_000);
      long after = clickHouse.get();
      assertTrue(Math.min(before, after) <= got && got <= Math.max(before, after), "Lode answered " + got
          + " while ClickHouse answered " + before + " just before and " + after + " just after");
      before = after;
      if (!attacking.get() && times.size() >= samples) {
        break;
      }
      Thread.sleep(pauseMillis);
    }
    attacker.join();
    if (failed[0] != null) {
      throw new AssertionError("the attack itself failed", failed[0]);
    }
    return times;
  }
}
