package dev.lode.collector.http;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Optional;

/** The user name of an HTTP Basic {@code Authorization} header: Segment sends the write key there, password empty. */
final class BasicAuth {
  private BasicAuth() {
  }

  static Optional<String> user(String header) {
    if (header == null || !header.regionMatches(true, 0, "Basic ", 0, 6)) {
      return Optional.empty();
    }
    try {
      String decoded = new String(Base64.getDecoder().decode(header.substring(6).strip()), StandardCharsets.UTF_8);
      int colon = decoded.indexOf(':');
      String user = colon < 0 ? decoded : decoded.substring(0, colon);
      return user.isEmpty() ? Optional.empty() : Optional.of(user);
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
  }
}
