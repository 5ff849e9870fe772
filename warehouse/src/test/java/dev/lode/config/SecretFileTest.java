package dev.lode.config;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SecretFileTest {

  @Test
  void writesOwnerOnlyAndReplacesWhole(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("a").resolve("secret");
    SecretFile.write(file, "first\n");
    assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
    SecretFile.write(file, "second");
    assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)),
        "a rewrite is owner-only again, whatever the old file allowed");
    assertEquals("second", SecretFile.read(file));
    try (var listing = Files.list(file.getParent())) {
      assertEquals(1, listing.count(), "no temporary file is left behind");
    }
  }

  @Test
  void readOrCreateMakesOneRandomSecretAndKeepsIt(@TempDir Path dir) {
    Path file = dir.resolve("salt");
    String salt = SecretFile.readOrCreate(file, 24);
    assertEquals(48, salt.length());
    assertEquals(salt, SecretFile.readOrCreate(file, 24));
  }
}
