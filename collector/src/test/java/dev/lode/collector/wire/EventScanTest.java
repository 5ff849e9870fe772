package dev.lode.collector.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.lode.collector.CollectorSettings;
import dev.lode.config.LodeConfig;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The check that skips the tree walk for plain event text decides as the walk does. */
class EventScanTest {
  private final CollectorSettings settings = CollectorSettings.from(LodeConfig.load());
  private final EventScan scan = new EventScan(settings);

  private static String nested(int levels, String open, String close, String inner) {
    StringBuilder s = new StringBuilder("{\"e\":");
    for (int i = 1; i < levels; i++) {
      s.append(open);
    }
    s.append(inner);
    for (int i = 1; i < levels; i++) {
      s.append(close);
    }
    return s.append('}').toString();
  }

  private static String outcome(ThrowingCheck check) {
    try {
      check.run();
      return "ok";
    } catch (RejectedEvent e) {
      return e.reason().code();
    }
  }

  private interface ThrowingCheck {
    void run() throws RejectedEvent;
  }

  @Test
  void textCheckAgreesWithTheWalk() {
    List<String> events = new ArrayList<>();
    for (int levels = 12; levels <= 20; levels++) {
      events.add(nested(levels, "{\"a\":", "}", "1"));
      events.add(nested(levels, "[", "]", "1"));
      events.add(nested(levels, "[", "]", "{}"));
    }
    events.add("{\"e\":\"a\\u0000b\"}");
    events.add("{\"e\\u0000\":\"ab\"}");
    events.add("{\"e\":\"\\ud800\"}");
    events.add("{\"e\":\"\\ud83d\\ude00 fine\"}");
    events.add("{\"e\":\"\\\\u0000 is text, not an escape\"}");
    events.add("{\"e\":\"" + "x".repeat(settings.maxPropertyBytes()) + "\"}");
    events.add("{\"e\":\"" + "x".repeat(settings.maxPropertyBytes() + 1) + "\"}");
    events.add("{\"e\":\"" + "é".repeat(settings.maxPropertyBytes() / 2) + "\"}");
    events.add("{\"e\":\"" + "é".repeat(settings.maxPropertyBytes() / 2 + 1) + "\"}");
    events.add("{\"e\":\"" + "x".repeat(2000) + "\",\"n\":{\"a\":[1,2,{\"b\":\"c\"}]}}");
    events.add("{\"e\":\"[[[[[[[[[[[[[[[[[[[[ brackets in a string\"}");
    int rejected = 0;
    for (String e : events) {
      List<RequestItem> items = WireJson.split(BodyDecoder.decode(e.getBytes(StandardCharsets.UTF_8)), null, false,
          1 << 20, (n, v) -> { });
      RequestItem item = items.get(0);
      String walked = outcome(() -> scan.check(item.node()));
      assertEquals(walked, outcome(() -> scan.check(item)), e.length() > 120 ? e.substring(0, 120) : e);
      rejected += walked.equals("ok") ? 0 : 1;
    }
    assertEquals(3 * 5 + 3 + 2, rejected, "levels 16-20 of each nesting, NUL twice, a lone surrogate, two oversize");
  }
}
