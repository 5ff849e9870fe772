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
 * by name.
 */
public final class ClientProperties {
  /** Properties of the Avatica remote driver itself (they configure the client side, the server ignores them). */
  static final Set<String> ALLOWED = Set.of("url", "serialization", "authentication", "avatica_user",
      "avatica_password", "user", "password", "http_client_impl", "httpclient_factory", "principal", "keytab",
      "truststore", "truststore_password", "truststore_type", "keystore", "keystore_password", "keystore_type",
      "key_password", "hostname_verification", "transparent_reconnection", "use_client_side_load_balancing",
      "lb_urls", "lb_strategy", "lb_connection_failover_retries", "lb_connection_failover_sleep_time",
      "http_connection_timeout", "http_response_timeout", "fetch_size", "timezone");

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
    }
  }
}
