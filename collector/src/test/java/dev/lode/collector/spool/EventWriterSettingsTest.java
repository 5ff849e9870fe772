package dev.lode.collector.spool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.lode.collector.CollectedEvent;
import dev.lode.testing.TestWarehouse;
import dev.lode.warehouse.Warehouse;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A warehouse that does not know the collector's insert settings (an older ClickHouse server)
 * refuses one insert; the flusher's retry then stores the batch without them, instead of
 * retrying the refused insert forever.
 */
class EventWriterSettingsTest {
  private static CollectedEvent event(String id) {
    return new CollectedEvent(id, 1_700_000_000_000L, 1_700_000_000_500L, 1_700_000_000_400L, "u-set", "a1",
        "u-set", "track", "buy", "s1", "https://x/", "/", "t", "", "", "", new BigDecimal("1.5000"), 0, null,
        0, "", "", "", "", "", "", "", "", "", Map.of(), "settings-test", 0);
  }

  @Test
  void insertSettingsTheWarehouseDoesNotKnowAreDropped() throws Exception {
    Warehouse w = TestWarehouse.get();
    try (Connection c = w.connect(); Statement st = c.createStatement()) {
      st.execute("DROP TABLE IF EXISTS collector_settings_events");
      st.execute("CREATE TABLE collector_settings_events AS events");
    }
    try (EventWriter writer = new EventWriter(w, "collector_settings_events",
        Map.of("lode_setting_no_server_knows", "0"))) {
      // (clickhouse-jdbc reports a streamed insert's refusal unchecked; the flusher retries on any exception)
      Exception refused = assertThrows(Exception.class, () -> writer.insertEvents(List.of(event("s1"))));
      assertEquals(true, refused.getMessage().contains("lode_setting_no_server_knows"), refused.getMessage());
      writer.insertEvents(List.of(event("s1"), event("s2")));
    }
    try (Connection c = w.connect(); Statement st = c.createStatement();
         ResultSet rs = st.executeQuery("SELECT count() FROM collector_settings_events")) {
      rs.next();
      assertEquals(2, rs.getLong(1));
    }
  }
}
