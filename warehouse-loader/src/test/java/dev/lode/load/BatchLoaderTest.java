package dev.lode.load;

import dev.lode.warehouse.insert.ColumnType;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lode.testing.TestWarehouse;
import dev.lode.warehouse.Warehouse;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.ZoneId;
import java.util.UUID;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;

/** Loading foreign files: formats, mappings, quarantine reasons with line numbers, duplicates, reloads. */
class BatchLoaderTest {
  private final Warehouse w = TestWarehouse.get();
  private final BatchLoader loader = new BatchLoader(w);
  private final String run = UUID.randomUUID().toString().substring(0, 8);

  private Path file(String name, String text, boolean gzip) throws Exception {
    Path f = TestWarehouse.freshDir("load").resolve(name);
    try (OutputStream out = gzip ? new GZIPOutputStream(Files.newOutputStream(f)) : Files.newOutputStream(f)) {
      out.write(text.getBytes(StandardCharsets.UTF_8));
    }
    return f;
  }

  private static String one(Statement st, String sql) throws Exception {
    try (ResultSet rs = st.executeQuery(sql)) {
      assertTrue(rs.next(), sql);
      return rs.getString(1);
    }
  }

  @Test
  void bundledSampleIsFullyAccountedForAndLoadsOnce() throws Exception {
    Path f = TestWarehouse.freshDir("sample").resolve("online-retail-sample.csv.gz");
    try (InputStream in = getClass().getResourceAsStream("/lode/demo/online-retail-sample.csv.gz")) {
      Files.copy(in, f);
    }
    MappingSpec spec = MappingSpec.resolve("online-retail");
    // forced: another test may have loaded the sample already
    LoadSummary s = loader.load(f, LoadKind.ORDERS, spec, new BatchLoader.Options(null, true, LoadProgress.NONE));
    assertEquals(3002, s.read());
    assertEquals(s.read(), s.loaded() + s.quarantinedTotal() + s.duplicates());
    assertEquals(1, s.quarantined().get("negative_price"));
    assertTrue(s.tallies().get("guest_checkout_lines") > 0 && s.tallies().get("cancellation_lines") > 0, s.toText());
    LoadSummary again = loader.load(f, LoadKind.ORDERS, spec, BatchLoader.Options.defaults());
    assertTrue(again.alreadyLoaded());
    assertEquals(3002, again.duplicates());
    try (Connection c = w.connect(); Statement st = c.createStatement()) {
      assertTrue(Integer.parseInt(one(st, "SELECT count() FROM loads WHERE file = 'online-retail-sample.csv.gz'"
          + " AND status = 'completed' AND load_id = '" + s.loadId() + "'")) == 1);
      assertEquals("cancelled", one(st, "SELECT any(status) FROM order_lines WHERE startsWith(order_id, 'C')"
          + " AND source = 'online_retail'"));
      assertEquals("0", one(st, "SELECT count() FROM order_lines WHERE customer_key LIKE '%.0'"), "float ids normalized");
    }
  }

  @Test
  void jsonLinesEventsWithQuarantineAndDuplicates() throws Exception {
    String u = "u-" + run;
    String text = "{\"user_id\":\"" + u + "\",\"event_name\":\"page_view\",\"event_time\":\"2026-01-02T10:00:00Z\","
        + "\"properties\":{\"plan\":\"pro\",\"n\":3},\"context\":{\"page\":{\"url\":\"https://x.example/a\"}}}\n"
        + "{\"user_id\":\"" + u + "\",\"event_name\":\"page_view\",\"event_time\":\"2026-01-02T10:00:00Z\","
        + "\"properties\":{\"plan\":\"pro\",\"n\":3},\"context\":{\"page\":{\"url\":\"https://x.example/a\"}}}\n"
        + "\n"
        + "{not json\n"
        + "{\"event_name\":\"page_view\",\"event_time\":\"2026-01-02T10:00:00Z\"}\n"
        + "{\"anonymous_id\":\"a-" + run + "\",\"event_name\":\"click\",\"event_time\":\"yesterday\"}\n";
    MappingSpec spec = MappingSpec.parse("test-events", "{\"kind\":\"events\",\"source\":\"jsonl-" + run + "\","
        + "\"fields\":{\"user_id\":\"user_id\",\"anonymous_id\":\"anonymous_id\",\"event_name\":\"event_name\","
        + "\"event_time\":\"event_time\",\"properties\":\"properties\",\"url\":\"context.page.url\"}}");
    LoadSummary s = loader.load(file("events.jsonl.gz", text, true), LoadKind.EVENTS, spec,
        BatchLoader.Options.defaults());
    assertEquals(5, s.read(), s.toText());
    assertEquals(1, s.loaded());
    assertEquals(1, s.duplicates());
    assertEquals(1L, s.quarantined().get("malformed_record"));
    assertEquals(1L, s.quarantined().get("missing_id"));
    assertEquals(1L, s.quarantined().get("invalid_event_time"));
    try (Connection c = w.connect(); Statement st = c.createStatement()) {
      assertEquals("pro", one(st, "SELECT properties['plan'] FROM events WHERE user_id = '" + u + "'"));
      assertEquals("https://x.example/a", one(st, "SELECT url FROM events WHERE user_id = '" + u + "'"));
      assertEquals(u, one(st, "SELECT distinct_id FROM events WHERE user_id = '" + u + "'"));
      assertEquals("4", one(st, "SELECT line FROM quarantine WHERE source = 'jsonl-" + run + "' AND reason_code = 'malformed_record'"));
      assertTrue(one(st, "SELECT detail FROM quarantine WHERE source = 'jsonl-" + run
          + "' AND reason_code = 'invalid_event_time'").contains("'yesterday' is not a timestamp"));
    }
  }

  @Test
  void ticketExportWithQuotedMultilineFieldsHashesEmails() throws Exception {
    String t1 = "T1-" + run;
    String csv = "Ticket ID,Requester,Created at,Solved at,Type,Priority,Status,Subject,Description,Order ID,Product,Channel,Satisfaction\n"
        + t1 + ", Ann@Example.COM ,2026-01-03 09:00:00,,Problem,High,Open,\"Broken, again\",\"line one\nline \"\"two\"\"\",O1,I1,Email,Bad\n"
        + "T2-" + run + ",bob@example.com,2026-01-03 10:00:00,,Question,Whenever,Open,x,y,,,Chat,\n";
    LoadSummary s = loader.load(file("tickets.csv", csv, false), LoadKind.TICKETS, MappingSpec.resolve("ticket-export"),
        BatchLoader.Options.defaults());
    assertEquals(2, s.read());
    assertEquals(1, s.loaded());
    assertEquals(1L, s.quarantined().get("invalid_severity"), s.toText());
    try (Connection c = w.connect(); Statement st = c.createStatement()) {
      assertEquals(CompiledMapping.sha256("ann@example.com"), one(st, "SELECT requester FROM tickets WHERE ticket_id = '" + t1 + "'"));
      assertEquals("line one\nline \"two\"", one(st, "SELECT body FROM tickets WHERE ticket_id = '" + t1 + "'"));
      assertEquals("complaint", one(st, "SELECT ticket_type FROM tickets WHERE ticket_id = '" + t1 + "'"));
      assertEquals("4", one(st, "SELECT severity FROM tickets WHERE ticket_id = '" + t1 + "'"));
      assertEquals("4", one(st, "SELECT line FROM quarantine WHERE reason_code = 'invalid_severity' AND raw_payload LIKE 'T2-" + run + "%'"),
          "the line number counts the physical lines of the multi-line record before it");
    }
  }

  @Test
  void mappingMistakesAreNamed() throws Exception {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> MappingSpec.parse("m", "{\"kind\":\"orders\",\"colums\":{}}"));
    assertTrue(e.getMessage().contains("unknown key 'colums'"), e.getMessage());
    Path f = file("o.csv", "order_id,order_time\n1,2026-01-01\n", false);
    e = assertThrows(IllegalArgumentException.class, () -> loader.load(f, LoadKind.ORDERS,
        MappingSpec.defaultFor(LoadKind.ORDERS), BatchLoader.Options.defaults()));
    assertTrue(e.getMessage().contains("required column item_id"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> loader.load(f, LoadKind.ORDERS, MappingSpec.parse("m",
        "{\"fields\":{\"order_id\":\"order_id\",\"order_time\":\"order_time\",\"item_id\":\"sku\"}}"),
        BatchLoader.Options.defaults()));
    assertTrue(e.getMessage().contains("no column 'sku'"), e.getMessage());
  }

  @Test
  void timestampsInEveryDocumentedFormat() {
    TimeParser iso = new TimeParser("iso", ZoneId.of("UTC"));
    assertEquals(1291191960000L, iso.parse("2010-12-01 08:26:00"));
    assertEquals(1291191960123L, iso.parse("2010-12-01T08:26:00.123Z"));
    assertEquals(1291188360000L, iso.parse("2010-12-01T08:26:00+01:00"));
    assertEquals(1291161600000L, iso.parse("2010-12-01"));
    assertEquals(1511544070000L, new TimeParser("epoch_s", ZoneId.of("UTC")).parse("1511544070"));
    assertEquals(1306833960000L, new TimeParser("iso", ZoneId.of("Europe/London")).parse("2011-05-31 10:26:00"));
    assertEquals(1291191960000L, new TimeParser("dd/MM/yyyy HH:mm", ZoneId.of("UTC")).parse("01/12/2010 08:26"));
    assertThrows(IllegalArgumentException.class, () -> iso.parse("2010-13-01 00:00:00"));
    assertEquals(-25_500L, ColumnType.parseDecimal("-2.55"));
    assertEquals(17850L, ColumnType.parseLong("17850.0"));
  }
}
