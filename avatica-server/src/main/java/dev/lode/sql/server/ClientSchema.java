package dev.lode.sql.server;

import java.util.List;
import java.util.Set;

/**
 * The schema a client names when it opens a connection: one of its role's schemas (any case),
 * or Lode's default when it names the endpoint itself — Avatica Go sends the last segment of
 * the URL's path as the schema, so {@code http://host/avatica} arrives as schema
 * {@code avatica}. Any other name is refused, naming the schemas there are.
 */
final class ClientSchema {
  /** The endpoint's path names (see the app's Avatica resource). */
  private static final Set<String> ENDPOINT_NAMES = Set.of("avatica", "avatica-protobuf", "avatica-json");

  private ClientSchema() {
  }

  /** The schema to start in, from {@code requested} (may be null) and the role's {@code schemas} (default first). */
  static String choose(String requested, List<String> schemas) {
    if (requested == null || requested.isBlank()) {
      return schemas.get(0);
    }
    for (String s : schemas) {
      if (s.equalsIgnoreCase(requested.trim())) {
        return s;
      }
    }
    if (ENDPOINT_NAMES.contains(requested.trim().toLowerCase(java.util.Locale.ROOT))) {
      return schemas.get(0);
    }
    throw new IllegalArgumentException("connection property 'schema': schema '" + requested + "' does not exist;"
        + " this user's schemas are " + String.join(", ", schemas));
  }
}
