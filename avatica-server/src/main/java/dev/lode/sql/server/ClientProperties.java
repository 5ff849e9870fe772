package dev.lode.sql.server;

import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The connection properties a remote client may send. Avatica forwards every client
 * property to the server's connection, and Calcite would honour {@code model},
 * {@code schemaFactory}, {@code schema} and friends — letting a client mount its own
 * schema. Only the Avatica client's own transport settings pass; anything else is refused
 * by name. {@code sqlTimeZone} (Druid's session time zone, which Metabase sends with its report
 * time zone) must be a valid zone id; the connection then reads, groups and compares times as
 * wall-clock times of that zone.
 */
public final class ClientProperties {
  /** Properties of the Avatica remote driver itself (they configure the client side, the server ignores them). */
  static final Set<String> ALLOWED = Set.of("url", "serialization", "authentication", "avatica_user",
      "avatica_password", "user", "password", "http_client_impl", "httpclient_factory", "principal", "keytab",
      "truststore", "truststore_password", "truststore_type", "keystore", "keystore_password", "keystore_type",
      "key_password", "hostname_verification", "transparent_reconnection", "use_client_side_load_balancing",
      "lb_urls", "lb_strategy", "lb_connection_failover_retries", "lb_connection_failover_sleep_time",
      "http_connection_timeout", "http_response_timeout", "fetch_size", "timezone",
      // sent by Avatica Go (always) and other drivers; the server's answers to them are fixed
      "autocommit", "consistency", "readonly", "transactionisolation",
      // Druid's session time zone, sent by Metabase; see checkTimeZone
      "sqltimezone",
      // the schema to start in, sent by Avatica Go (the URL's last path segment); see ClientSchema
      "schema");

  private ClientProperties() {
  }

  /** Throws naming the first property that is not on the allow-list. */
  public static void check(Map<String, String> info) {
    if (info == null) {
      return;
    }
    for (String key : new TreeSet<>(info.keySet())) {
      if (!ALLOWED.contains(key.toLowerCase(Locale.ROOT))) {
        throw new IllegalArgumentException("connection property '" + key + "' is not accepted from clients: Lode's"
            + " schema, model and parser settings are fixed by the server (allowed: "
            + String.join(", ", new TreeSet<>(ALLOWED)) + ")");
      }
      if (key.equalsIgnoreCase("sqlTimeZone")) {
        checkTimeZone(key, info.get(key));
      }
    }
  }

  /** The session time zone a client asked for with {@code sqlTimeZone}, UTC when it sent none. */
  public static java.time.ZoneId sessionZone(Map<String, String> info) {
    if (info != null) {
      for (Map.Entry<String, String> e : info.entrySet()) {
        if (e.getKey().equalsIgnoreCase("sqlTimeZone")) {
          return checkTimeZone(e.getKey(), e.getValue());
        }
      }
    }
    return java.time.ZoneOffset.UTC;
  }

  /** The zone {@code value} names; refuses one that names none (22023), with examples. */
  private static java.time.ZoneId checkTimeZone(String key, String value) {
    try {
      return java.time.ZoneId.of(value == null ? "" : value.trim());
    } catch (java.time.DateTimeException e) {
      throw new IllegalArgumentException("connection property '" + key + "': '" + value + "' is not a time zone id"
          + " (for example UTC, Europe/Paris or -08:00)", e);
    }
  }
}
