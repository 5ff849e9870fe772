package dev.lode.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EngineCommandTest {

  @Test
  void thePasswordFileIsReadableByItsOwnerOnlyAndKeptAcrossRuns(@TempDir Path dir) throws Exception {
    Path data = dir.resolve("engine-server");
    String password = EngineCommand.password(data);
    Path file = EngineCommand.passwordFile(data);
    Set<PosixFilePermission> perms = Files.getPosixFilePermissions(file);
    assertEquals("rw-------", PosixFilePermissions.toString(perms), "the engine password must be owner-only");
    assertTrue(password.matches("[0-9a-f]{32}"), password);
    assertEquals(password, Files.readString(file));
    assertEquals(password, EngineCommand.password(data), "a second start reads the same password");
    try (var listing = Files.list(data)) {
      assertEquals(1, listing.count(), "no temporary file is left next to it");
    }
  }
}
