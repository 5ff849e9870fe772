package dev.lode.collector.spool;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.lode.collector.CollectedEvent;
import dev.lode.collector.QuarantinedEvent;
import dev.lode.collector.ReasonCode;
import dev.lode.warehouse.insert.RowBinaryOutput;
import dev.lode.warehouse.insert.TargetTable;
import java.io.ByteArrayOutputStream;
import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Rows written straight from spooled bytes are the rows of the decoded events, and carry the same row key. */
class SpoolRowsTest {

  private static CollectedEvent event(String type, String id, Long sent, BigDecimal price, BigDecimal revenue,
                                      Map<String, String> props) {
    return new CollectedEvent(id, 1_795_339_800_123L, 1_795_339_801_000L, sent, "u-1 ünï", "a-😀", "u-1 ünï", type,
        type.equals("page") ? "page_view" : "add_to_cart", "s-1", "https://x.example/ü", "/p", "Tïtle", "", "p-7",
        "shoes", price, -3, revenue, 4321L, "mobile", "iOS", "Safari", "Mozilla/5.0 …", "10.0.0.1", "en-GB", "DE",
        "BE", "Berlin", props, "web", 30);
  }

  /** The row the flusher writes from spooled bytes is byte for byte the row of the decoded event. */
  @Test
  void encodedRowsEqualDecodedRows() throws Exception {
    Map<String, String> props = new LinkedHashMap<>();
    props.put("product_id", "p-7");
    props.put("note", "naïve ☃ 😀");
    props.put("", "");
    List<CollectedEvent> events = List.of(
        event("track", "m-1", 1_795_339_801_500L, new BigDecimal("19.9900"), null, props),
        event("track", "m-2", null, new BigDecimal("-99999999999999.9999"), new BigDecimal("0.0000"), Map.of()),
        event("page", "m-3", null, null, new BigDecimal("12.34565").setScale(4, java.math.RoundingMode.HALF_UP), props),
        event("track", "m-4", null, new BigDecimal("1.5"), new BigDecimal("7.00005"), props));
    for (CollectedEvent e : events) {
      byte[] spooled = SpoolCodec.encode(e);
      ByteArrayOutputStream direct = new ByteArrayOutputStream();
      RowBinaryOutput o1 = new RowBinaryOutput(direct);
      SpoolRows.writeEvent(spooled, 0, o1);
      o1.flush();
      ByteArrayOutputStream decoded = new ByteArrayOutputStream();
      RowBinaryOutput o2 = new RowBinaryOutput(decoded);
      TargetTable.EVENTS.write(o2, EventWriter.row(e));
      o2.flush();
      assertArrayEquals(decoded.toByteArray(), direct.toByteArray(), e.eventId());
    }
  }

  @Test
  void onlyPageAndScreenViewsHaveARowKeyToCollapse() {
    CollectedEvent page = event("page", "m-3", null, null, null, Map.of());
    assertEquals(page.rowKey(), SpoolRows.rowKey(SpoolCodec.encode(page), 0));
    CollectedEvent track = event("track", "m-1", null, null, null, Map.of());
    assertEquals(track.rowKey(), SpoolRows.rowKey(SpoolCodec.encode(track), 0));
    byte[] q = SpoolCodec.encode(new QuarantinedEvent(1L, "web", ReasonCode.MISSING_ID, "d", "{}", "", 0));
    assertFalse(SpoolRows.isEvent(q, 0));
  }
}
