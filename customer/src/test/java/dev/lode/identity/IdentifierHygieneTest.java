package dev.lode.identity;

import dev.lode.warehouse.IdentifierHygiene;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Garbage identifiers are refused, real ones pass. */
class IdentifierHygieneTest {

  @ParameterizedTest
  @ValueSource(strings = {"undefined", "null", "None", "NaN", "0", "[object Object]", "true", "false", "", " ", "\t",
      " NULL ", "a\u0000b"})
  void garbageNeverIdentifies(String id) {
    assertFalse(IdentifierHygiene.isUsable(id));
  }

  @ParameterizedTest
  @ValueSource(strings = {"u-123", "anon-6f1c", "17850", "alice@example.com", "0042"})
  void realIdsPass(String id) {
    assertTrue(IdentifierHygiene.isUsable(id));
  }
}
