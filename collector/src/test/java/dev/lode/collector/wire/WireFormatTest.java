package dev.lode.collector.wire;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.lode.collector.CollectorException;
import dev.lode.collector.ReasonCode;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Wire-level pieces: timestamp parsing, UTF-8 repair with positions, and batch splitting. */
class WireFormatTest {

  @Test
  void fastTimestampPathAgreesWithJavaTime() throws Exception {
    for (String t : List.of("2026-11-22T14:45:27Z", "2026-11-22T14:45:27.1Z", "2026-11-22T14:45:27.123Z",
        "2026-11-22T14:45:27.123456Z", "2024-02-29T23:59:59.999Z", "1970-01-01T00:00:00Z")) {
      assertEquals(Instant.parse(t).toEpochMilli(), JsonFields.fastUtc(t), t);
      assertEquals(Instant.parse(t).toEpochMilli(), JsonFields.parseTime("t", t), t);
    }
    assertEquals(Long.MIN_VALUE, JsonFields.fastUtc("2026-02-30T00:00:00Z"));
    assertEquals(Instant.parse("2026-11-22T13:45:27Z").toEpochMilli(),
        JsonFields.parseTime("t", "2026-11-22T14:45:27+01:00"));
    assertEquals(Instant.parse("2026-11-22T00:00:00Z").toEpochMilli(), JsonFields.parseTime("t", "2026-11-22"));
    RejectedEvent bad = assertThrows(RejectedEvent.class, () -> JsonFields.parseTime("timestamp", "2026-02-30T00:00:00Z"));
    assertEquals(ReasonCode.INVALID_TIMESTAMP, bad.reason());
  }

  @Test
  void invalidUtf8IsReplacedAndLocated() {
    byte[] b = {'a', 'b', (byte) 0xC3, (byte) 0x28, 'c', (byte) 0xFF};
    BodyDecoder.Text t = BodyDecoder.decode(b);
    assertEquals("ab\uFFFD(c\uFFFD", t.text());
    assertArrayEquals(new int[] {2, 5}, t.invalidAt());
    assertEquals(true, t.invalidBetween(0, 3));
    assertEquals(false, t.invalidBetween(3, 5));
  }

  @Test
  void batchSplitsIntoItemsKeepingEachEventsText() {
    String body = "{\"sentAt\":\"2026-01-01T00:00:00Z\",\"batch\":[{\"a\":1}, 7 ,{\"b\":\"😀\"}]}";
    List<RequestItem> items = WireJson.split(BodyDecoder.decode(body.getBytes(StandardCharsets.UTF_8)), "batch", true,
        32768, (n, v) -> { });
    assertEquals(3, items.size());
    assertEquals("{\"a\":1}", items.get(0).raw());
    assertEquals(ReasonCode.SCHEMA_VIOLATION, items.get(1).rejected());
    assertEquals("{\"b\":\"😀\"}", items.get(2).raw());
    CollectorException e = assertThrows(CollectorException.class, () -> WireJson.split(
        BodyDecoder.decode("{\"batch\":[{]}".getBytes(StandardCharsets.UTF_8)), "batch", true, 32768, (n, v) -> { }));
    assertEquals(ReasonCode.MALFORMED_JSON, e.reason());
    assertEquals(400, e.status());
  }
}
