package dev.lode.config;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.HexFormat;

/**
 * A file only its owner can read (credentials, salts, engine passwords): written whole into a
 * temporary file created owner-only ({@code rw-------}, so the secret is never readable by others,
 * even for a moment) and renamed over the target. File systems without POSIX permissions keep
 * their defaults.
 */
public final class SecretFile {
  private static final SecureRandom RANDOM = new SecureRandom();

  private SecretFile() {
  }

  /** Writes {@code content} (UTF-8) to {@code file}, owner-only, replacing it atomically; creates parent folders. */
  public static void write(Path file, String content) {
    Path dir = file.toAbsolutePath().getParent();
    try {
      Files.createDirectories(dir);
      Path tmp = Files.createTempFile(dir, "." + file.getFileName(), ".tmp", ownerOnly(dir));
      try {
        Files.writeString(tmp, content, StandardCharsets.UTF_8);
        try {
          Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
          Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
        }
      } finally {
        Files.deleteIfExists(tmp);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file, e);
    }
  }

  /** The file's content, surrounding white space stripped. */
  public static String read(Path file) {
    try {
      return Files.readString(file, StandardCharsets.UTF_8).strip();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
  }

  /**
   * The secret kept in {@code file}; on first use a new random one of {@code bytes} bytes (as
   * hex) is written there owner-only.
   */
  public static String readOrCreate(Path file, int bytes) {
    if (Files.isRegularFile(file)) {
      return read(file);
    }
    String secret = randomHex(bytes);
    write(file, secret);
    return secret;
  }

  /** {@code bytes} bytes from a strong random source, as lower-case hex. */
  public static String randomHex(int bytes) {
    byte[] raw = new byte[bytes];
    RANDOM.nextBytes(raw);
    return HexFormat.of().formatHex(raw);
  }

  private static FileAttribute<?>[] ownerOnly(Path dir) {
    if (Files.getFileAttributeView(dir, PosixFileAttributeView.class) == null) {
      return new FileAttribute<?>[0];
    }
    return new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"))};
  }
}
