package dev.lode.privacy;

import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Who an erasure forgets: the person ids and every id linked to them (raw ids, emails,
 * phones, their SHA-256 forms). {@link #mentions} finds any of them in free text as a
 * whole token, so a short customer number does not match inside an unrelated longer one.
 */
public record ErasureSubject(Set<String> personIds, Set<String> ids) {
  /** Characters that continue an id: a match must not be preceded or followed by one. */
  static final String ID_CHAR = "[A-Za-z0-9_@.+-]";

  /** Every person id and id. */
  public List<String> all() {
    return java.util.stream.Stream.concat(personIds.stream(), ids.stream()).distinct().toList();
  }

  /** True when {@code text} contains any of the ids as a whole token. */
  public boolean mentions(String text) {
    if (text == null || text.isEmpty()) {
      return false;
    }
    for (String id : all()) {
      int from = 0;
      int at;
      while ((at = text.indexOf(id, from)) >= 0) {
        boolean before = at == 0 || !isIdChar(text.charAt(at - 1));
        int end = at + id.length();
        boolean after = end >= text.length() || !isIdChar(text.charAt(end));
        if (before && after) {
          return true;
        }
        from = at + 1;
      }
    }
    return false;
  }

  private static final Pattern ID_CHAR_PATTERN = Pattern.compile(ID_CHAR);

  private static boolean isIdChar(char c) {
    return ID_CHAR_PATTERN.matcher(String.valueOf(c)).matches();
  }
}
