package dev.lode.clock;

import dev.lode.config.LodeConfig;
import dev.lode.warehouse.Warehouse;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Optional;

/**
 * The time the customer model takes as "now" — profile recency, interest and recommendation
 * decay, tag windows ({@code lode.model.as-of}, {@code --as-of}): {@code auto}, {@code now},
 * {@code latest-event} (just after the newest event or silo record, for historic data such as
 * the demo dataset) or a fixed ISO instant.
 */
public record AsOf(Kind kind, Instant instant) {
  /** The current time. */
  public static final AsOf NOW = new AsOf(Kind.NOW, null);
  /** The default: {@code latest-event} for data that lies in the past, else {@code now}. */
  public static final AsOf AUTO = new AsOf(Kind.AUTO, null);
  /** The one setting every part of the model reads its clock from. */
  public static final String KEY = "lode.model.as-of";
  /**
   * How far behind the current time the newest record may be for {@code auto} to take the data as
   * live (a feed from the collector or a daily export) and use the current time.
   */
  public static final Duration LIVE_WITHIN = Duration.ofDays(1);

  /** Which of the clocks. */
  public enum Kind { AUTO, NOW, LATEST_EVENT, FIXED }

  // The newest event or silo record: what "as of the data" means when a history was loaded
  // from files (orders-only loads have no events at all).
  private static final String NEWEST = "SELECT count(t), toUnixTimestamp64Milli(max(t)) FROM ("
      + " SELECT maxOrNull(event_time) AS t FROM events"
      + " UNION ALL SELECT maxOrNull(order_time) FROM orders"
      + " UNION ALL SELECT maxOrNull(opened_at) FROM tickets"
      + " UNION ALL SELECT maxOrNull(sent_at) FROM campaign_sends"
      + " UNION ALL SELECT maxOrNull(responded_at) FROM campaign_responses)";

  /** Parses {@code auto}, {@code now}, {@code latest-event} or an ISO instant; blank means auto; anything else fails naming the forms. */
  public static AsOf parse(String spec) {
    if (spec == null || spec.isBlank() || spec.trim().equals("auto")) {
      return AUTO;
    }
    String s = spec.trim();
    if (s.equals("now")) {
      return NOW;
    }
    if (s.equals("latest-event")) {
      return new AsOf(Kind.LATEST_EVENT, null);
    }
    try {
      return new AsOf(Kind.FIXED, Instant.parse(s));
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException("as-of must be auto, now, latest-event or an ISO instant like"
          + " 2026-11-01T00:00:00Z, got '" + spec + "'");
    }
  }

  /**
   * The configured clock: {@code legacyKey} (e.g. {@code lode.recommend.as-of}, from before the
   * clock was one setting) when it is set, else {@link #KEY}; a bad value fails naming its key.
   */
  public static AsOf configured(LodeConfig config, String legacyKey) {
    String key = legacyKey != null && config.get(legacyKey).isPresent() ? legacyKey : KEY;
    String v = config.get(key, "auto");
    try {
      return parse(v);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("configuration " + key + "=" + v + ": " + e.getMessage());
    }
  }

  /** Whether this is the current time whatever the data, i.e. no query decides it. */
  public boolean isNow() {
    return kind == Kind.NOW;
  }

  /**
   * The instant in {@code warehouse}: empty for the current time (the caller's, e.g. the engine's),
   * the fixed instant, or a millisecond after the newest event or silo record — for
   * {@code latest-event} always (empty when there is none), for {@code auto} only when that record
   * is more than {@link #LIVE_WITHIN} before the current time.
   */
  public Optional<Instant> resolve(Warehouse warehouse) throws SQLException {
    return switch (kind) {
      case NOW -> Optional.empty();
      case FIXED -> Optional.of(instant);
      case LATEST_EVENT -> newest(warehouse).map(t -> t.plusMillis(1));
      case AUTO -> newest(warehouse).filter(t -> t.isBefore(Instant.now().minus(LIVE_WITHIN))).map(t -> t.plusMillis(1));
    };
  }

  /** {@link #resolve} with the current time filled in. */
  public Instant instantIn(Warehouse warehouse) throws SQLException {
    return resolve(warehouse).orElseGet(Instant::now);
  }

  private static Optional<Instant> newest(Warehouse warehouse) throws SQLException {
    try (Connection c = warehouse.connect(); Statement st = c.createStatement(); ResultSet rs = st.executeQuery(NEWEST)) {
      rs.next();
      return rs.getLong(1) == 0 ? Optional.empty() : Optional.of(Instant.ofEpochMilli(rs.getLong(2)));
    }
  }

  @Override
  public String toString() {
    return switch (kind) {
      case AUTO -> "auto";
      case NOW -> "now";
      case LATEST_EVENT -> "latest-event";
      case FIXED -> instant.toString();
    };
  }
}
