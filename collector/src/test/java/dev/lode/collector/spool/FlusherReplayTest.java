package dev.lode.collector.spool;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.lode.collector.CollectedEvent;
import dev.lode.collector.CollectorMetrics;
import dev.lode.collector.CollectorSettings;
import dev.lode.config.LodeConfig;
import dev.lode.testing.TestWarehouse;
import dev.lode.warehouse.Warehouse;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A crash between the warehouse insert and the checkpoint: the records are replayed at the
 * next start, and those already in the table are skipped, so a plain count() stays exact.
 * Runs against a copy of the events table, leaving the shared one alone.
 */
class FlusherReplayTest {
  private static CollectedEvent event(String id, long dwell) {
    return new CollectedEvent(id, 1_700_000_000_000L, 1_700_000_000_500L, 1_700_000_000_400L, "u-replay", "a1",
        "u-replay", "page", "page_view", "s1", "https://x/", "/", "t", "", "", "", new BigDecimal("1.5000"), 0, null,
        dwell, "", "", "", "", "", "", "", "", "", Map.of("k", "v"), "replay-test", 0);
  }

  @Test
  void replayedRecordsAlreadyStoredAreSkipped() throws Exception {
    Warehouse w = TestWarehouse.get();
    try (Connection c = w.connect(); Statement st = c.createStatement()) {
      st.execute("DROP TABLE IF EXISTS collector_replay_events");
      st.execute("CREATE TABLE collector_replay_events AS events");
    }
    Path dir = TestWarehouse.freshDir("replay-spool");
    Spool first = Spool.open(dir, 1 << 20, new CollectorMetrics());
    // e1, e2 and a dwell update of e3 (same row key as e3, new dwell) are spooled ...
    first.awaitDurable(first.append(List.of(event("e1", 0), event("e2", 0), event("e3", 4000))), 5000);
    first.close();
    try (EventWriter writer = new EventWriter(w, "collector_replay_events")) {
      // ... e1 made it to the table before the crash, and so had e3's first row
      writer.insertEvents(List.of(event("e1", 0), event("e3", 0)));
      CollectorMetrics metrics = new CollectorMetrics();
      Spool again = Spool.open(dir, 1 << 20, metrics);
      CollectorSettings settings = CollectorSettings.from(LodeConfig.load());
      Flusher flusher = new Flusher(again, writer, settings, metrics);
      flusher.start();
      long deadline = System.currentTimeMillis() + 30_000;
      while (metrics.flushes() == 0 && System.currentTimeMillis() < deadline) {
        Thread.sleep(50);
      }
      flusher.stop();
      again.close();
      assertEquals(3, metrics.replayed());
      assertEquals(1, metrics.replaySkipped(), "e1 was already stored");
      try (Connection c = w.connect(); Statement st = c.createStatement();
           ResultSet rs = st.executeQuery("SELECT event_id, count(), max(dwell_ms) FROM collector_replay_events"
               + " GROUP BY event_id ORDER BY event_id")) {
        for (String expected : List.of("e1 1 0", "e2 1 0", "e3 2 4000")) {
          rs.next();
          assertEquals(expected, rs.getString(1) + " " + rs.getInt(2) + " " + rs.getLong(3));
        }
      }
      try (Connection c = w.connect(); Statement st = c.createStatement();
           ResultSet rs = st.executeQuery("SELECT count(), sum(dwell_ms) FROM collector_replay_events FINAL")) {
        rs.next();
        assertEquals(3, rs.getInt(1));
        assertEquals(4000, rs.getLong(2)); // e3's update replaced its first row
      }
      try (Connection c = w.connect(); Statement st = c.createStatement()) {
        st.execute("DROP TABLE collector_replay_events");
      }
    }
  }
}
