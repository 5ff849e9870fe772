package dev.lode.quality;

import dev.lode.config.LodeConfig;
import dev.lode.warehouse.Warehouse;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Copies the behavior-quality thresholds from the configuration ({@code lode.quality.*})
 * into {@code lode_settings}, where the {@code events_quality}, {@code session_quality}
 * and {@code data_quality} views read them: misclick dwell, bot rate, bot regularity,
 * minimum session size for the bot rules, and the delay after which an event is late.
 */
public final class QualitySettings {
  /** Configuration key → settings key, with the migration's defaults. */
  static final Map<String, String> KEYS = new LinkedHashMap<>();

  static {
    KEYS.put("lode.quality.misclick-ms", "quality.misclick_ms");
    KEYS.put("lode.quality.bot-min-events", "quality.bot_min_events");
    KEYS.put("lode.quality.bot-max-events-per-minute", "quality.bot_max_events_per_minute");
    KEYS.put("lode.quality.bot-max-gap-cv", "quality.bot_max_gap_cv");
    KEYS.put("lode.quality.late-after-seconds", "quality.late_after_s");
  }

  private QualitySettings() {
  }

  /** Writes every configured threshold that differs from the current setting; returns how many changed. */
  public static int apply(Warehouse warehouse, LodeConfig config) throws SQLException {
    Map<String, String> current = new LinkedHashMap<>();
    try (Connection c = warehouse.connect()) {
      try (Statement st = c.createStatement();
           ResultSet rs = st.executeQuery("SELECT key, argMax(value, updated_at) FROM lode_settings GROUP BY key")) {
        while (rs.next()) {
          current.put(rs.getString(1), rs.getString(2));
        }
      }
      int changed = 0;
      for (var e : KEYS.entrySet()) {
        var v = config.get(e.getKey());
        if (v.isEmpty() || v.get().equals(current.get(e.getValue()))) {
          continue;
        }
        try {
          Double.parseDouble(v.get());
        } catch (NumberFormatException ex) {
          throw new IllegalArgumentException("configuration " + e.getKey() + "=" + v.get() + " is not a number");
        }
        try (PreparedStatement ps = c.prepareStatement(
            "INSERT INTO lode_settings (key, value, updated_at) VALUES (?, ?, now64(3))")) {
          ps.setString(1, e.getValue());
          ps.setString(2, v.get());
          ps.executeUpdate();
        }
        changed++;
      }
      return changed;
    }
  }
}
