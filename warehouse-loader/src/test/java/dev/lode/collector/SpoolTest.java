package dev.lode.collector;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
}
