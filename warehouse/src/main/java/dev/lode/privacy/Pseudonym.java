package dev.lode.privacy;

import dev.lode.hash.Sha256;
import java.nio.charset.StandardCharsets;

/**
 * The salted hash that stands in for a PII value wherever it must not appear: lowercase hex
 * SHA-256 of salt followed by the value. The same value always gives the same pseudonym, so
 * masked ids still join, group and count; without the server's salt nobody can compute
 * one from a guessed value. Empty stays empty (it carries no identity).
 */
public final class Pseudonym {
  private final String salt;

  public Pseudonym(String salt) {
    this.salt = salt;
  }

  /** The pseudonym of {@code value}, as the masked views compute it. */
  public String of(String value) {
    if (value == null || value.isEmpty()) {
      return value;
    }
    return Sha256.hex(salt.getBytes(StandardCharsets.UTF_8), value.getBytes(StandardCharsets.UTF_8));
  }

  /**
   * {@code text} with the salt removed: engine errors may quote a masked view's expression,
   * and a user who learned the salt could compute the pseudonym of any guessed value.
   */
  public String redact(String text) {
    if (text == null) {
      return null;
    }
    return text.replace(salt, "<salt>").replaceAll("concat\\('[^']*',", "concat('<salt>',");
  }

  /** The ClickHouse expression computing the pseudonym of the String expression {@code expr}. */
  public String sql(String expr) {
    // the salt is checked to be [A-Za-z0-9_-] (PrivacySettings), so it is a safe literal
    return "if(" + expr + " = '', '', lower(hex(SHA256(concat('" + salt + "', " + expr + ")))))";
  }
}
