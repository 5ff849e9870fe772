package dev.lode.hash;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class Sha256Test {
  /** FIPS 180-2's example "abc" and the empty message. */
  private static final String ABC = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";
  private static final String EMPTY = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

  @Test
  void textPartsAndFilesHashAsTheStandardSays(@TempDir Path dir) throws Exception {
    assertEquals(ABC, Sha256.hex("abc"));
    assertEquals(EMPTY, Sha256.hex(""));
    assertEquals(ABC, Sha256.hex("a".getBytes(StandardCharsets.UTF_8), "bc".getBytes(StandardCharsets.UTF_8)),
        "parts are hashed one after another");
    Path f = dir.resolve("abc.txt");
    Files.writeString(f, "abc");
    assertEquals(ABC, Sha256.hex(f));
  }
}
