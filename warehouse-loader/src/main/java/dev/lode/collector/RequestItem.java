package dev.lode.collector;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * One event of a request as split from the body: its JSON, its raw text (for quarantine)
 * and, when the splitter already knows it is bad (too large, invalid UTF-8), the reason.
 */
record RequestItem(int index, JsonNode node, String raw, ReasonCode rejected, String detail) {
}
