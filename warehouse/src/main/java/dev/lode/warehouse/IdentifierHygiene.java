package dev.lode.warehouse;

import java.util.Locale;
import java.util.Set;

/**
 * Decides whether an identifier may identify anyone. SDK bugs and form defaults send
 * "undefined", "null", "0" or "[object Object]" as ids; linking on those would merge
 * every visitor who hit the bug into one person, so they never link identities.
 */
public final class IdentifierHygiene {
  /** Values that are never real identifiers, compared case-insensitively after trimming. */
  public static final Set<String> GARBAGE = Set.of("undefined", "null", "none", "nan", "nil", "0", "-1",
      "[object object]", "true", "false", "anonymous", "unknown", "n/a", "na", "guest", "test", "{}", "[]", "\"\"", "''");

  private IdentifierHygiene() {
  }

  /** True when {@code id} may link identities: not null, not blank, not a known garbage value, no control chars. */
  public static boolean isUsable(String id) {
    if (id == null) {
      return false;
    }
    String t = id.strip();
    if (t.isEmpty() || t.length() > 512) {
      return false;
    }
    if (GARBAGE.contains(t.toLowerCase(Locale.ROOT))) {
      return false;
    }
    for (int i = 0; i < t.length(); i++) {
      if (Character.isISOControl(t.charAt(i))) {
        return false;
      }
    }
    return true;
  }
}
