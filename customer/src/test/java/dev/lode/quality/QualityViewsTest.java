package dev.lode.quality;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lode.config.LodeConfig;
import dev.lode.testing.TestWarehouse;
import dev.lode.warehouse.Warehouse;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Misclicks and bot-like sessions are flagged by configurable thresholds and counted in data_quality. */
class QualityViewsTest {
  private final Warehouse w = TestWarehouse.get();
  private final String run = UUID.randomUUID().toString().substring(0, 8);

  private static String one(Statement st, String sql) throws Exception {
    try (ResultSet rs = st.executeQuery(sql)) {
      assertTrue(rs.next(), sql);
      return rs.getString(1);
    }
  }

  @Test
  void misclickThresholdComesFromConfigurationAndBotsAreFlaggedByRateRegularityAndAgent() throws Exception {
    String src = "q-" + run;
    try (Connection c = w.connect(); Statement st = c.createStatement()) {
      // a human session: a 1.5 s view (misclick under the 2 s default), a 3 s view, a 40 s view
      st.execute("INSERT INTO events (event_id, event_time, received_time, distinct_id, anonymous_id, event_type,"
          + " event_name, session_id, dwell_ms, user_agent, source) VALUES"
          + " ('" + run + "-1', '2026-01-01 10:00:00', now64(3), 'h-" + run + "', 'h-" + run + "', 'page', 'product_view', 's-h-" + run + "', 1500, 'Mozilla/5.0 (Windows) Chrome/120.0', '" + src + "'),"
          + " ('" + run + "-2', '2026-01-01 10:00:01.5', now64(3), 'h-" + run + "', 'h-" + run + "', 'page', 'product_view', 's-h-" + run + "', 3000, 'Mozilla/5.0 (Windows) Chrome/120.0', '" + src + "'),"
          + " ('" + run + "-3', '2026-01-01 10:00:04.5', now64(3), 'h-" + run + "', 'h-" + run + "', 'page', 'product_view', 's-h-" + run + "', 40000, 'Mozilla/5.0 (Windows) Chrome/120.0', '" + src + "')");
      // a crawler: 30 page views exactly 5 s apart with a normal-looking agent (regularity)
      st.execute("INSERT INTO events (event_id, event_time, received_time, distinct_id, anonymous_id, event_type,"
          + " event_name, session_id, dwell_ms, user_agent, source) SELECT concat('" + run + "-b', toString(number)),"
          + " toDateTime64('2026-01-01 11:00:00', 3, 'UTC') + toIntervalSecond(number * 5), now64(3), 'b-" + run + "', 'b-" + run + "',"
          + " 'page', 'page_view', 's-b-" + run + "', 1000, 'Mozilla/5.0 (X11) Chrome/124.0', '" + src + "' FROM numbers(30)");
      // a scraper: 20 views in about 15 s at irregular gaps (rate)
      st.execute("INSERT INTO events (event_id, event_time, received_time, distinct_id, anonymous_id, event_type,"
          + " event_name, session_id, dwell_ms, user_agent, source) SELECT concat('" + run + "-r', toString(number)),"
          + " toDateTime64('2026-01-01 11:30:00', 3, 'UTC') + toIntervalMillisecond(number * 600 + (number * number % 7) * 250),"
          + " now64(3), 'r-" + run + "', 'r-" + run + "', 'page', 'product_view', 's-r-" + run + "', 0,"
          + " 'Mozilla/5.0 (X11) Chrome/124.0', '" + src + "' FROM numbers(20)");
      // an honest bot user agent with one event
      st.execute("INSERT INTO events (event_id, event_time, received_time, distinct_id, anonymous_id, event_type,"
          + " event_name, session_id, dwell_ms, user_agent, source) VALUES ('" + run + "-g', '2026-01-01 12:00:00', now64(3),"
          + " 'g-" + run + "', 'g-" + run + "', 'page', 'page_view', 's-g-" + run + "', 0, 'Googlebot/2.1', '" + src + "')");

      assertEquals("1", one(st, "SELECT countIf(is_misclick) FROM events_quality WHERE source = '" + src + "'"));
      assertEquals("regularity", one(st, "SELECT bot_reason FROM session_quality WHERE session_id = 's-b-" + run + "'"));
      assertEquals("rate", one(st, "SELECT bot_reason FROM session_quality WHERE session_id = 's-r-" + run + "'"));
      assertEquals("user_agent", one(st, "SELECT bot_reason FROM session_quality WHERE session_id = 's-g-" + run + "'"));
      assertEquals("0", one(st, "SELECT is_bot FROM session_quality WHERE session_id = 's-h-" + run + "'"));
      assertEquals("30", one(st, "SELECT countIf(is_bot) FROM events_quality WHERE session_id = 's-b-" + run + "'"),
          "bot events stay in the data, flagged");
      assertEquals("3", one(st, "SELECT value FROM data_quality WHERE check = 'bot_sessions' AND dimension = '" + src + "'"));

      assertEquals(1, QualitySettings.apply(w, LodeConfig.of(Map.of("lode.quality.misclick-ms", "5000"))));
      assertEquals("2", one(st, "SELECT countIf(is_misclick) FROM events_quality WHERE source = '" + src + "'"));
      assertEquals(0, QualitySettings.apply(w, LodeConfig.of(Map.of("lode.quality.misclick-ms", "5000"))));
      QualitySettings.apply(w, LodeConfig.of(Map.of("lode.quality.misclick-ms", "2000")));
    }
  }
}
