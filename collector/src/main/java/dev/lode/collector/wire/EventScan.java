package dev.lode.collector.wire;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lode.collector.CollectorSettings;
import dev.lode.collector.ReasonCode;
import java.util.Map;

/**
 * Checks every string and key of one event before it is mapped: no NUL characters, no
 * lone UTF-16 surrogates (a JSON {@code \ud800} escape with no partner), no property
 * value over the size limit, no nesting deeper than the limit.
 */
final class EventScan {
  private final int maxDepth;
  private final int maxPropertyBytes;

  EventScan(CollectorSettings s) {
    this.maxDepth = s.maxDepth();
    this.maxPropertyBytes = s.maxPropertyBytes();
  }

  void check(JsonNode event) throws RejectedEvent {
    walk(event, null, 1);
  }

  /**
   * Checks an event, walking its tree only when its text could break a rule: without a
   * backslash-u escape no string can hold a NUL or a lone surrogate (a raw NUL is malformed
   * JSON, and decoded UTF-8 has no lone surrogates); with fewer opening brackets than
   * {@code max-depth} no value can sit deeper than the limit; and no string is longer in
   * UTF-8 than three bytes per character of the whole event's text. Most events pass this
   * one pass over their text.
   */
  void check(RequestItem item) throws RejectedEvent {
    if (item.body().unicodeEscapes() || !shallowAndShort(item.body().text(), item.from(), item.to())) {
      walk(item.node(), null, 1);
    }
  }

  /** Fewer opening brackets than max-depth, and too short for a value over the size limit (indexOf is vectorized). */
  private boolean shallowAndShort(String text, int from, int to) {
    int end = Math.min(to, text.length());
    if (from < 0 || from > end || (long) (end - from) * 3 > maxPropertyBytes) {
      return false;
    }
    int opens = 0;
    for (int i = text.indexOf('{', from, end); i >= 0; i = text.indexOf('{', i + 1, end)) {
      if (++opens >= maxDepth) {
        return false;
      }
    }
    for (int i = text.indexOf('[', from, end); i >= 0; i = text.indexOf('[', i + 1, end)) {
      if (++opens >= maxDepth) {
        return false;
      }
    }
    return true;
  }

  /** Where a value sits in the event ({@code context.page.url}, {@code items[2]}); spelled out only for an error. */
  private record Where(Where parent, String key, int index) {
    @Override
    public String toString() {
      String up = parent == null ? "" : parent.toString();
      return key == null ? up + "[" + index + "]" : up.isEmpty() ? key : up + "." + key;
    }
  }

  private void walk(JsonNode n, Where path, int depth) throws RejectedEvent {
    if (depth > maxDepth) {
      throw new RejectedEvent(ReasonCode.TOO_DEEP, "nesting deeper than " + maxDepth + " levels at "
          + (path == null ? "" : path));
    }
    if (n.isObject()) {
      for (Map.Entry<String, JsonNode> e : n.properties()) {
        Where p = new Where(path, e.getKey(), 0);
        checkString(e.getKey(), "key ", p);
        walk(e.getValue(), p, depth + 1);
      }
    } else if (n.isArray()) {
      int i = 0;
      for (JsonNode c : n) {
        walk(c, new Where(path, null, i++), depth + 1);
      }
    } else if (n.isTextual()) {
      String s = n.textValue();
      checkString(s, "", path);
      // UTF-8 length is at most 3 bytes per char; only count when it might exceed the limit
      if ((long) s.length() * 3 > maxPropertyBytes && utf8Length(s) > maxPropertyBytes) {
        throw new RejectedEvent(ReasonCode.OVERSIZE_PROPERTY, (path == null ? "" : path) + " is " + utf8Length(s)
            + " bytes; the limit per value is " + maxPropertyBytes);
      }
    }
  }

  private static void checkString(String s, String what, Where path) throws RejectedEvent {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == 0) {
        throw new RejectedEvent(ReasonCode.NUL_BYTE, what + (path == null ? "" : path) + " contains a NUL character");
      }
      if (Character.isHighSurrogate(c)) {
        if (i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
          i++;
          continue;
        }
        throw new RejectedEvent(ReasonCode.INVALID_UTF8, what + (path == null ? "" : path) + " contains a lone surrogate (not valid Unicode)");
      }
      if (Character.isLowSurrogate(c)) {
        throw new RejectedEvent(ReasonCode.INVALID_UTF8, what + (path == null ? "" : path) + " contains a lone surrogate (not valid Unicode)");
      }
    }
  }

  static int utf8Length(String s) {
    int n = 0;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c < 0x80) {
        n++;
      } else if (c < 0x800) {
        n += 2;
      } else if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
        n += 4;
        i++;
      } else {
        n += 3;
      }
    }
    return n;
  }
}
