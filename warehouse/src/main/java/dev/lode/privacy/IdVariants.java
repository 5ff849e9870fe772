package dev.lode.privacy;

import dev.lode.hash.Sha256;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * The forms one id of a person takes in Lode's stores, so an erasure finds them all and the
 * suppression list refuses them all: the id as given, its normalized form (trimmed, lower case,
 * inner whitespace removed — {@code " Bob@Example.com "} and {@code "bob@example.com"} are one
 * person), the unsalted SHA-256 loaders store for emails and phones, and — when the collector
 * hashes traits at ingest — that salted hash and the identity resolver's SHA-256 of it.
 */
public final class IdVariants {
  private final Optional<byte[]> ingestSalt;

  /** @param ingestSalt the collector's {@code lode.collector.pii.salt}, if it has one */
  public IdVariants(Optional<String> ingestSalt) {
    this.ingestSalt = ingestSalt.map(s -> s.getBytes(StandardCharsets.UTF_8));
  }

  /** {@code id} trimmed, in lower case, without whitespace. */
  public static String normalized(String id) {
    return id.strip().toLowerCase(Locale.ROOT).replaceAll("\\s+", "");
  }

  /** Whether {@code id} is written like an email. */
  static boolean isEmail(String id) {
    return id.indexOf('@') > 0;
  }

  /** Whether {@code id} is written like a phone number. */
  static boolean isPhone(String id) {
    return id.matches("\\+?[0-9 ()./-]{6,}");
  }

  /** The collector's salted ingest hash of {@code value} (as {@code lode.collector.pii.hash} stores it), if it has a salt. */
  public Optional<String> ingestHash(String value) {
    return ingestSalt.map(s -> Sha256.hex(s, value.strip().toLowerCase(Locale.ROOT).getBytes(StandardCharsets.UTF_8)));
  }

  /** Every stored form of {@code id}, the id itself first. */
  public Set<String> of(String id) {
    Set<String> out = new LinkedHashSet<>();
    out.add(id);
    String norm = normalized(id);
    if (!norm.isEmpty()) {
      out.add(norm);
    }
    if (isEmail(id)) {
      out.add(Sha256.hex(id.strip().toLowerCase(Locale.ROOT)));
      out.add(Sha256.hex(norm));
      ingestHash(id).ifPresent(h -> {
        out.add(h);
        out.add(Sha256.hex(h));
      });
    }
    if (isPhone(id)) {
      String t = id.strip();
      out.add(Sha256.hex((t.startsWith("+") ? "+" : "") + t.replaceAll("[^0-9]", "")));
      ingestHash(id).ifPresent(h -> {
        out.add(h);
        out.add(Sha256.hex(h));
      });
    }
    return out;
  }
}
