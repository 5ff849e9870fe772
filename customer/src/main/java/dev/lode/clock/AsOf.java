package dev.lode.clock;

import dev.lode.warehouse.Warehouse;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Optional;

/**
 * The time a computation takes as "now" ({@code lode tags refresh --as-of},
 * {@code lode.recommend.as-of}): {@code now}, {@code latest-event} (just after the newest event,
 * for historic data such as the demo dataset) or a fixed ISO instant.
 */
public record AsOf(Kind kind, Instant instant) {
  /** The current time: the default. */
  public static final AsOf NOW = new AsOf(Kind.NOW, null);

  /** Which of the three clocks. */
  public enum Kind { NOW, LATEST_EVENT, FIXED }

  /** Parses {@code now}, {@code latest-event} or an ISO instant; blank means now; anything else fails naming the forms. */
  public static AsOf parse(String spec) {
    if (spec == null || spec.isBlank() || spec.trim().equals("now")) {
      return NOW;
    }
    String s = spec.trim();
    if (s.equals("latest-event")) {
      return new AsOf(Kind.LATEST_EVENT, null);
    }
    try {
      return new AsOf(Kind.FIXED, Instant.parse(s));
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException("as-of must be now, latest-event or an ISO instant like"
          + " 2026-11-01T00:00:00Z, got '" + spec + "'");
    }
  }

  /** Whether this is the current time, i.e. no fixed clock. */
  public boolean isNow() {
    return kind == Kind.NOW;
  }

  /**
   * The instant in {@code warehouse}: empty for {@code now} (the caller's current time, e.g. the
   * engine's), the fixed instant, or a millisecond after the newest event (empty when there is none).
   */
  public Optional<Instant> resolve(Warehouse warehouse) throws SQLException {
    return switch (kind) {
      case NOW -> Optional.empty();
      case FIXED -> Optional.of(instant);
      case LATEST_EVENT -> {
        try (Connection c = warehouse.connect(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT count(), toUnixTimestamp64Milli(max(event_time)) FROM events")) {
          rs.next();
          yield rs.getLong(1) == 0 ? Optional.empty() : Optional.of(Instant.ofEpochMilli(rs.getLong(2) + 1));
        }
      }
    };
  }

  @Override
  public String toString() {
    return switch (kind) {
      case NOW -> "now";
      case LATEST_EVENT -> "latest-event";
      case FIXED -> instant.toString();
    };
  }
}
