package dev.lode.collector.wire;

import dev.lode.collector.ReasonCode;

/**
 * The rule an event name must follow: no control character and no line or paragraph
 * separator ({@code \n}, {@code \r}, U+0085, U+2028, U+2029), which break the granularity
 * policy's patterns, log lines and every tool that shows names one per line; such an event
 * is quarantined as {@code invalid_event_name}, never its batch.
 */
final class EventNames {
  private EventNames() {
  }

  static void check(String name) throws RejectedEvent {
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      if (Character.isISOControl(c) || c == '\u2028' || c == '\u2029') {
        throw new RejectedEvent(ReasonCode.INVALID_EVENT_NAME, String.format(
            "event name has the control or line-separator character U+%04X at position %d: %s", (int) c, i,
            EventDraft.abbreviate(name.replaceAll("\\p{Cc}|[\\u2028\\u2029]", "?"))));
      }
    }
  }
}
