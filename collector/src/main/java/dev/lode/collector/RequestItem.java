package dev.lode.collector;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * One event of a request as split from the body: its JSON, its raw text (for quarantine)
 * and, when the splitter already knows it is bad (too large, invalid UTF-8), the reason.
 */
record RequestItem(int index, JsonNode node, BodyDecoder.Text body, int from, int to, ReasonCode rejected,
                   String detail) {

  /** The event's text as received (clipped), cut from the body only when needed (for quarantine). */
  String raw() {
    String t = body.text();
    return WireJson.clip(t.substring(Math.min(from, t.length()), Math.max(from, Math.min(to, t.length()))));
  }
}
