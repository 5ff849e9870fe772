package dev.lode.hash;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * SHA-256, the one hash Lode uses: content checksums (migrations, tag definitions, mappings,
 * loaded files), deterministic ids and the salted pseudonyms of PII.
 */
public final class Sha256 {
  private Sha256() {
  }

  /** The digest of {@code parts} one after another (a salt, then the value). */
  public static byte[] digest(byte[]... parts) {
    MessageDigest md = newDigest();
    for (byte[] p : parts) {
      md.update(p);
    }
    return md.digest();
  }

  /** Lower-case hex of the digest of {@code parts} one after another. */
  public static String hex(byte[]... parts) {
    return HexFormat.of().formatHex(digest(parts));
  }

  /** Lower-case hex of the digest of {@code text}'s UTF-8 bytes. */
  public static String hex(String text) {
    return hex(text.getBytes(StandardCharsets.UTF_8));
  }

  /** Lower-case hex of the digest of {@code file}'s content, read as a stream. */
  public static String hex(Path file) throws IOException {
    MessageDigest md = newDigest();
    try (InputStream in = Files.newInputStream(file)) {
      byte[] buf = new byte[1 << 16];
      int n;
      while ((n = in.read(buf)) > 0) {
        md.update(buf, 0, n);
      }
    }
    return HexFormat.of().formatHex(md.digest());
  }

  private static MessageDigest newDigest() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("this JVM has no SHA-256", e); // every Java SE platform must have it
    }
  }
}
