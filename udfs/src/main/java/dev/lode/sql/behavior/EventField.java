package dev.lode.sql.behavior;

import dev.lode.privacy.PiiColumns;
import java.util.Locale;
import java.util.Set;

/**
 * An event attribute named in a function argument (a step condition or a breakdown): one of
 * the events table's descriptive columns, or {@code properties.<key>} for a custom property.
 * Anything else is refused, naming what is allowed, so arguments never become free SQL.
 */
final class EventField {
  static final Set<String> COLUMNS = Set.of("event_name", "event_type", "page", "url", "title", "referrer", "item_id",
      "category", "device_type", "os", "browser", "locale", "country", "region", "city", "source", "session_id",
      "distinct_id", "user_id", "anonymous_id");

  /**
   * The fields an aggregate-only function may read from the unmasked events: descriptive columns
   * that identify nobody. An allow-list, not the masking rules' deny-list, so a column that
   * becomes personal later (a {@code PII} comment, a new mask) is never read raw by accident.
   */
  static final Set<String> AGGREGATE_SAFE = Set.of("event_name", "event_type", "item_id", "category", "device_type", "os",
      "browser", "locale", "country", "region", "city", "source");

  private EventField() {
  }

  /** The ClickHouse String expression for {@code name}, e.g. {@code country} or {@code properties['plan']}. */
  static String expression(String argument, String name) {
    String n = name.trim();
    if (n.regionMatches(true, 0, "properties.", 0, 11) && n.length() > 11) {
      String key = n.substring(11);
      if (!key.matches("[A-Za-z0-9_$.:-]{1,128}")) {
        throw new IllegalArgumentException(argument + ": property key '" + key
            + "' may only contain letters, digits and _ $ . : -");
      }
      return "properties[" + ClickHouseLiteral.string(key) + "]";
    }
    String lower = n.toLowerCase(Locale.ROOT);
    if (!COLUMNS.contains(lower)) {
      throw new IllegalArgumentException(argument + ": unknown event field '" + n + "'; use one of "
          + String.join(", ", COLUMNS.stream().sorted().toList()) + " or properties.<key>");
    }
    return "toString(" + lower + ")";
  }

  /**
   * Whether a function naming {@code name} must read the masked events: anything outside
   * {@link #AGGREGATE_SAFE}, custom properties included (their masks depend on the key).
   */
  static boolean personal(String name) {
    String n = name.trim().toLowerCase(Locale.ROOT);
    return !AGGREGATE_SAFE.contains(n) || PiiColumns.of("events", n, "String", "").isPresent();
  }

  /**
   * Whether {@code name} is id-valued: its values are hashed for analysts (ids, free text, a
   * custom property whose key is not a reviewed safe one), so a breakdown by it or a condition on
   * it singles out persons. URL fields are not: they are cut to their paths.
   */
  static boolean idValued(String name) {
    String n = name.trim().toLowerCase(Locale.ROOT);
    if (n.startsWith("properties.")) {
      String key = n.substring(11);
      return !PiiColumns.DEFAULT.safeKeys().contains(key) && !PiiColumns.isUrlKey(key);
    }
    return PiiColumns.of("events", n, "String", "").filter(m -> m == PiiColumns.Mask.HASH).isPresent();
  }
}
