package dev.lode.collector.spool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lode.collector.CollectedEvent;
import dev.lode.collector.CollectorMetrics;
import dev.lode.collector.QuarantinedEvent;
import dev.lode.collector.ReasonCode;
import dev.lode.testing.TestWarehouse;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The spool round-trips records, replays what is after the checkpoint, and cuts a torn tail. */
class SpoolTest {
  private static CollectedEvent event(String id) {
    return new CollectedEvent(id, 1_700_000_000_000L, 1_700_000_000_500L, null, "u1", "a1", "u1", "track", "buy", "s1",
        "https://x/", "/", "t", "", "p1", "c", new BigDecimal("9.9900"), 2, null, 0, "", "", "", "", "", "en", "", "",
        "", Map.of("k", "v 😀"), "web", 7);
  }

  @Test
  void replaysAfterCheckpointAndCutsATornTail() throws Exception {
    Path dir = TestWarehouse.freshDir("spool");
    CollectorMetrics m = new CollectorMetrics();
    Spool s = Spool.open(dir, 1 << 20, m);
    IllegalStateException inUse = assertThrows(IllegalStateException.class, () -> Spool.open(dir, 1 << 20, m));
    assertTrue(inUse.getMessage().contains("in use"), inUse.getMessage());
    long seq = s.append(List.of(event("e1"), event("e2")));
    s.awaitDurable(seq, 5000);
    List<Spool.Entry> taken = s.takeDurable(10, 0);
    assertEquals(2, taken.size());
    s.checkpoint(taken.get(0), 0); // e1 stored, e2 not yet
    long seq2 = s.append(List.<Object>of(new QuarantinedEvent(1L, "web", ReasonCode.MISSING_ID, "d", "{}", "", 3)));
    s.awaitDurable(seq2, 5000);
    s.close();
    // a torn frame at the end of the newest segment, as a crash mid-write leaves it
    Path newest;
    try (Stream<Path> files = Files.list(dir)) {
      newest = files.filter(p -> p.toString().endsWith(".seg")).sorted().reduce((a, b) -> b).orElseThrow();
    }
    Files.write(newest, new byte[] {0, 0, 0, 50, 1, 2, 3}, StandardOpenOption.APPEND);

    Spool again = Spool.open(dir, 1 << 20, new CollectorMetrics());
    List<Spool.Entry> replayed = again.takeDurable(10, 0);
    assertEquals(2, replayed.size(), "e2 and the quarantine row; e1 was checkpointed");
    assertEquals(event("e2"), replayed.get(0).record());
    assertTrue(replayed.get(1).record() instanceof QuarantinedEvent q && q.reason() == ReasonCode.MISSING_ID);
    assertTrue(replayed.stream().allMatch(Spool.Entry::replayed));
    again.close();
  }

  /**
   * Concurrent requests share fsyncs: every append is durable once awaited, the flusher gets
   * each record once in sequence order, decoded from the spooled bytes (rotation included),
   * and a reopened spool replays exactly the records after the checkpoint.
   */
  @Test
  void concurrentAppendsAreDurableOnceEachAndInOrder() throws Exception {
    Path dir = TestWarehouse.freshDir("spool-concurrent");
    CollectorMetrics m = new CollectorMetrics();
    Spool s = Spool.open(dir, 64 * 1024, m); // small segments: appends rotate while others wait
    int threads = 8;
    int perThread = 50;
    java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(threads);
    List<java.util.concurrent.Future<?>> done = new java.util.ArrayList<>();
    for (int t = 0; t < threads; t++) {
      int thread = t;
      done.add(pool.submit(() -> {
        for (int i = 0; i < perThread; i++) {
          long seq = s.append(List.of(event("t" + thread + "-" + i + "-a"), event("t" + thread + "-" + i + "-b")));
          s.awaitDurable(seq, 10_000);
        }
        return null;
      }));
    }
    for (var f : done) {
      f.get();
    }
    pool.shutdown();
    List<Spool.Entry> taken = s.takeDurable(10_000, 0);
    assertEquals(threads * perThread * 2, taken.size());
    java.util.Set<String> ids = new java.util.HashSet<>();
    for (int i = 0; i < taken.size(); i++) {
      CollectedEvent e = (CollectedEvent) taken.get(i).record();
      assertTrue(ids.add(e.eventId()), "taken twice: " + e.eventId());
      assertEquals(event(e.eventId()), e);
      if (i > 0) {
        assertTrue(taken.get(i).seq() >= taken.get(i - 1).seq(), "in sequence order");
      }
      if (i % 2 == 1) { // a request's two records stay together
        assertEquals(e.eventId().replace("-b", "-a"), ((CollectedEvent) taken.get(i - 1).record()).eventId());
      }
    }
    assertTrue(m.fsyncs() > 0, "fsyncs " + m.fsyncs());
    int half = taken.size() / 2;
    s.checkpoint(taken.get(half - 1), 0);
    s.close();

    Spool again = Spool.open(dir, 64 * 1024, new CollectorMetrics());
    List<Spool.Entry> replayed = again.takeDurable(10_000, 0);
    assertEquals(taken.size() - half, replayed.size());
    for (int i = 0; i < replayed.size(); i++) {
      assertEquals(taken.get(half + i).record(), replayed.get(i).record());
    }
    again.close();
  }

  /** Appends that arrive while an fsync runs share the next one: a burst of 200 takes far fewer fsyncs. */
  @Test
  void aBurstOfAppendsSharesFsyncs() throws Exception {
    CollectorMetrics m = new CollectorMetrics();
    Spool s = Spool.open(TestWarehouse.freshDir("spool-burst"), 64 * 1024 * 1024, m);
    try {
      long last = 0;
      for (int i = 0; i < 200; i++) {
        last = s.append(List.of(event("burst-" + i)));
      }
      s.awaitDurable(last, 10_000);
      assertEquals(200, s.takeDurable(1_000, 0).size());
      long fsyncs = m.fsyncs();
      assertTrue(fsyncs >= 1 && fsyncs < 100, "fsyncs for a burst of 200 appends: " + fsyncs);
    } finally {
      s.close();
    }
  }

  /**
   * What max-pending-mb is checked against counts the memory the spooled records actually
   * keep: the buffers their frames sit in (a request's buffer grows by doubling, so it may be
   * up to twice the frames), not only the frames' bytes.
   */
  @Test
  void pendingBytesCountWhatTheRecordsHold() throws Exception {
    Path dir = TestWarehouse.freshDir("spool-held");
    Spool s = Spool.open(dir, 1 << 20, new CollectorMetrics());
    List<Object> records = new java.util.ArrayList<>();
    for (int i = 0; i < 50; i++) {
      CollectedEvent e = event("h" + i);
      // about 700 bytes encoded: just over the 640 per record a request's buffer starts with
      records.add(e.withPolicy(0, Map.of("k", "v".repeat(520)), e.ip(), e.userAgent()));
    }
    s.awaitDurable(s.append(records), 5000);
    long counted = s.pendingBytes();
    List<Spool.Entry> taken = s.takeDurable(1000, 0);
    assertEquals(50, taken.size());
    java.util.Set<byte[]> buffers = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
    long frames = 0;
    for (Spool.Entry e : taken) {
      buffers.add(e.frames());
      frames += 8 + e.bytes();
    }
    long held = buffers.stream().mapToLong(b -> b.length).sum();
    assertTrue(counted >= held, "counted " + counted + " bytes, the buffers hold " + held);
    assertTrue(counted <= frames + 50 * 128, "counted " + counted + " bytes for " + frames + " bytes of frames");
    s.checkpoint(taken.get(taken.size() - 1), taken.stream().mapToLong(Spool.Entry::heldBytes).sum());
    assertEquals(0, s.pendingBytes());
    s.close();
  }
}
