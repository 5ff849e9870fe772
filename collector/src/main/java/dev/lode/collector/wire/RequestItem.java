package dev.lode.collector.wire;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lode.collector.ReasonCode;

/**
 * One event of a request as split from the body: its JSON, its raw text (for quarantine)
 * and, when the splitter already knows it is bad (too large, invalid UTF-8), the reason.
 */
public record RequestItem(int index, JsonNode node, BodyDecoder.Text body, int from, int to, ReasonCode rejected,
                   String detail) {

  /** The event's text as received (clipped), cut from the body only when needed (for quarantine). */
  public String raw() {
    String t = body.text();
    return WireJson.clip(t.substring(Math.min(from, t.length()), Math.max(from, Math.min(to, t.length()))));
  }
}
