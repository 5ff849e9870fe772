package dev.lode.collector.wire;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The id of a message sent without one: {@code h-} and an HMAC-SHA256, keyed with the server's
 * pseudonym salt, of its content minus {@code sentAt} (which a retry changes), so an identical
 * retry still deduplicates while nobody without the key can confirm a guessed message (and the
 * user id in it) against the id.
 */
public final class ContentId {
  private final SecretKeySpec key;

  /** @param secret the server's secret ({@code lode.privacy.salt}); never sent to anyone */
  public ContentId(String secret) {
    if (secret == null || secret.isEmpty()) {
      throw new IllegalArgumentException("content ids need the server's secret salt");
    }
    this.key = new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256");
  }

  /** The id of message {@code e} of {@code type} sent by {@code source}. */
  public String of(JsonNode e, String type, String source) {
    JsonNode copy = e;
    if (e.has("sentAt")) {
      ObjectNode o = ((ObjectNode) e).deepCopy();
      o.remove("sentAt");
      copy = o;
    }
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(key);
      mac.update((source + "\n" + type + "\n").getBytes(StandardCharsets.UTF_8));
      byte[] h = mac.doFinal(copy.toString().getBytes(StandardCharsets.UTF_8));
      return "h-" + HexFormat.of().formatHex(h, 0, 16);
    } catch (GeneralSecurityException ex) {
      throw new IllegalStateException("HmacSHA256 is part of every JDK: " + ex.getMessage(), ex);
    }
  }
}
