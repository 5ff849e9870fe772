package dev.lode.collector;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The bad-input corpus: each case is posted over HTTP to a running server and must get its
 * documented status and reason code (for a whole request) or quarantine reason (for one
 * event of an otherwise good batch, whose good events are kept); the server stays up and
 * keeps accepting good events throughout. Also checks what was stored: garbage ids
 * blanked, clock skew corrected, text round-tripped, policies and metrics.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CollectorCorpusTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String AUTH = ServerProcess.basic(ServerProcess.WRITE_KEY, "");

  private ServerProcess server;

  @BeforeAll
  void start(@TempDir Path home) throws Exception {
    server = ServerProcess.start(home, Map.of(
        "lode.collector.policy.rules", "interactions,debug,audit",
        "lode.collector.policy.interactions.match", "scroll,heartbeat,mousemove",
        "lode.collector.policy.interactions.action", "summarize",
        "lode.collector.policy.debug.match", "debug_*",
        "lode.collector.policy.debug.action", "sample",
        "lode.collector.policy.debug.rate", "0.5",
        "lode.collector.policy.debug.retention-days", "7",
        "lode.collector.policy.audit.match", "audit_*",
        "lode.collector.policy.audit.retention-days", "365"));
  }

  @AfterAll
  void stop() throws Exception {
    server.close();
  }

  /** One corpus case: what is posted and the status and reason it must get. */
  private record Case(String name, String path, byte[] body, String[] headers, int status, String reason) {
  }

  private final List<Case> cases = new ArrayList<>();

  private void add(String name, String path, byte[] body, int status, String reason, String... headers) {
    cases.add(new Case(name, path, body, headers, status, reason));
  }

  private void json(String name, String path, String body, int status, String reason) {
    add(name, path, utf8(body), status, reason, "Content-Type", "application/json", "Authorization", AUTH);
  }

  /** A batch of one bad event between two good ones: 200, the bad one quarantined with {@code reason}. */
  private void bad(String name, String badEvent, String reason) {
    json(name, "/v1/batch", "{\"batch\":[" + good(name + "-a") + "," + badEvent + "," + good(name + "-b") + "]}", 200,
        reason);
  }

  private static String good(String id) {
    return "{\"type\":\"track\",\"event\":\"corpus_ok\",\"messageId\":\"" + id + "\",\"anonymousId\":\"anon-corpus\"}";
  }

  private static String track(String fields) {
    return "{\"type\":\"track\",\"event\":\"corpus_bad\",\"anonymousId\":\"anon-x\"" + (fields.isEmpty() ? "" : ",")
        + fields + "}";
  }

  @Test
  void corpusGetsDocumentedAnswersAndServerKeepsAccepting() throws Exception {
    String now = Instant.now().toString();
    json("good single track", "/v1/track", "{\"event\":\"corpus_ok\",\"userId\":\"user-1\",\"messageId\":\"single-1\"}",
        200, null);
    json("good batch", "/v1/batch", "{\"batch\":[" + good("g1") + "," + good("g2") + "]}", 200, null);
    add("gzip batch", "/v1/batch", gzip(utf8("{\"batch\":[" + good("gz1") + "]}")), 200, null,
        "Content-Type", "application/json", "Content-Encoding", "gzip", "Authorization", AUTH);
    add("lying Content-Type: gzip body sent as plain json", "/v1/batch", gzip(utf8("{\"batch\":[" + good("gz2") + "]}")),
        200, null, "Content-Type", "application/json", "Authorization", AUTH);
    add("text/plain JSON (sendBeacon)", "/v1/batch", utf8("{\"batch\":[" + good("tp1") + "]}"), 200, null,
        "Content-Type", "text/plain", "Authorization", AUTH);
    add("lying Content-Type: image/png", "/v1/batch", utf8("{\"batch\":[]}"), 415, "unsupported_media_type",
        "Content-Type", "image/png", "Authorization", AUTH);
    add("unsupported Content-Encoding br", "/v1/batch", utf8("{\"batch\":[]}"), 415, "unsupported_encoding",
        "Content-Type", "application/json", "Content-Encoding", "br", "Authorization", AUTH);
    add("Content-Encoding gzip over a plain body", "/v1/batch", utf8("{\"batch\":[]}"), 400, "invalid_gzip",
        "Content-Type", "application/json", "Content-Encoding", "gzip", "Authorization", AUTH);
    byte[] gz = gzip(utf8("{\"batch\":[" + good("tr1") + "," + good("tr2") + "]}"));
    add("truncated gzip", "/v1/batch", Arrays.copyOf(gz, gz.length / 2), 400, "invalid_gzip",
        "Content-Type", "application/json", "Content-Encoding", "gzip", "Authorization", AUTH);
    add("gzip bomb (decompresses past 500 KB)", "/v1/batch", gzip(new byte[5_000_000]), 413, "batch_too_large",
        "Content-Type", "application/json", "Content-Encoding", "gzip", "Authorization", AUTH);
    json("empty body", "/v1/batch", "", 400, "empty_body");
    json("whitespace body", "/v1/track", "  \n ", 400, "empty_body");
    json("malformed JSON", "/v1/batch", "{\"batch\": [", 400, "malformed_json");
    json("truncated JSON object", "/v1/track", "{\"event\":\"x\",\"userId\":\"u", 400, "malformed_json");
    json("trailing garbage", "/v1/track", "{\"event\":\"x\",\"userId\":\"u1\"} xyz", 400, "malformed_json");
    json("top-level string", "/v1/track", "\"hello\"", 400, "invalid_body");
    json("batch is not an array", "/v1/batch", "{\"batch\":{}}", 400, "invalid_body");
    json("deeply nested JSON (2000 levels)", "/v1/batch", "{\"batch\":[" + "{\"a\":".repeat(2000) + "1"
        + "}".repeat(2000) + "]}", 400, "malformed_json");
    json("top-level array on a single-event endpoint", "/v1/track", "[" + good("arr") + "]", 400, "invalid_body");
    add("no write key", "/v1/batch", utf8("{\"batch\":[" + good("nk") + "]}"), 401, "missing_write_key",
        "Content-Type", "application/json");
    add("unknown write key", "/v1/batch", utf8("{\"batch\":[" + good("uk") + "]}"), 401, "unknown_write_key",
        "Content-Type", "application/json", "Authorization", ServerProcess.basic("no-such-key", ""));
    add("write key in the body", "/v1/batch", utf8("{\"writeKey\":\"" + ServerProcess.WRITE_KEY + "\",\"batch\":["
        + good("wk1") + "]}"), 200, null, "Content-Type", "application/json");
    add("unknown write key in the body", "/v1/batch", utf8("{\"writeKey\":\"nope\",\"batch\":[" + good("wk2") + "]}"),
        401, "unknown_write_key", "Content-Type", "application/json");
    json("batch over 500 KB", "/v1/batch", "{\"batch\":[" + (good("big") + ",").repeat(8000) + good("big2") + "]}",
        413, "batch_too_large");
    json("single event over 32 KB", "/v1/track", "{\"event\":\"x\",\"userId\":\"u1\",\"properties\":{"
        + "\"a\":\"" + "x".repeat(6000) + "\",\"b\":\"" + "x".repeat(6000) + "\",\"c\":\"" + "x".repeat(6000)
        + "\",\"d\":\"" + "x".repeat(6000) + "\",\"e\":\"" + "x".repeat(6000) + "\",\"f\":\"" + "x".repeat(6000)
        + "\"}}", 413, "event_too_large");
    StringBuilder props = new StringBuilder();
    for (int i = 0; i < 6; i++) {
      props.append(i == 0 ? "" : ",").append("\"p").append(i).append("\":\"").append("y".repeat(6000)).append('"');
    }
    bad("event over 32 KB inside a batch", track("\"properties\":{" + props + "}"), "event_too_large");
    byte[] tenMb = new byte[10 * 1024 * 1024];
    Arrays.fill(tenMb, (byte) ' ');
    add("10 MB body", "/v1/batch", tenMb, 413, "batch_too_large", "Content-Type", "application/json",
        "Authorization", AUTH);
    bad("deep nesting inside properties", track("\"properties\":{\"a\":" + "{\"b\":".repeat(30) + "1"
        + "}".repeat(30) + "}"), "too_deep");
    bad("huge number as price", track("\"properties\":{\"price\":1e400}"), "out_of_range");
    bad("huge integer as quantity", track("\"properties\":{\"quantity\":123456789012345678901234567890}"),
        "out_of_range");
    bad("fractional quantity", track("\"properties\":{\"quantity\":1.5}"), "wrong_type");
    bad("price is text", track("\"properties\":{\"price\":\"cheap\"}"), "wrong_type");
    bad("properties is an array", track("\"properties\":[1,2]"), "wrong_type");
    bad("userId is an object", "{\"type\":\"track\",\"event\":\"x\",\"userId\":{\"id\":1}}", "wrong_type");
    bad("event name is a number", "{\"type\":\"track\",\"event\":42,\"userId\":\"u1\"}", "wrong_type");
    bad("timestamp is a boolean", track("\"timestamp\":true"), "wrong_type");
    bad("no ids", "{\"type\":\"track\",\"event\":\"x\"}", "missing_id");
    for (String garbage : List.of("undefined", "null", "None", "NaN", "0", "[object Object]", "true", "false", "",
        "   ")) {
      bad("garbage userId '" + garbage + "'", "{\"type\":\"track\",\"event\":\"x\",\"userId\":\"" + garbage + "\"}",
          "invalid_id");
    }
    bad("alias with garbage previousId", "{\"type\":\"alias\",\"userId\":\"user-9\",\"previousId\":\"undefined\"}",
        "invalid_id");
    bad("alias without previousId", "{\"type\":\"alias\",\"userId\":\"user-9\"}", "missing_id");
    bad("group without groupId", "{\"type\":\"group\",\"userId\":\"user-9\"}", "missing_id");
    bad("track without event", "{\"type\":\"track\",\"userId\":\"u1\"}", "schema_violation");
    bad("unknown message type", "{\"type\":\"explode\",\"userId\":\"u1\"}", "schema_violation");
    bad("batch item is a number", "42", "schema_violation");
    bad("timestamp far in the future", track("\"timestamp\":\"2099-01-01T00:00:00Z\""), "timestamp_out_of_tolerance");
    bad("timestamp before 1970", track("\"timestamp\":\"1900-01-01T00:00:00Z\""), "timestamp_out_of_tolerance");
    bad("timestamp not a date", track("\"timestamp\":\"yesterday\""), "invalid_timestamp");
    bad("NUL character in a property", track("\"properties\":{\"a\":\"x\\u0000y\"}"), "nul_byte");
    bad("lone surrogate", track("\"properties\":{\"a\":\"x\\ud800y\"}"), "invalid_utf8");
    bad("oversize property", track("\"properties\":{\"a\":\"" + "z".repeat(9000) + "\"}"), "oversize_property");
    // invalid UTF-8 bytes inside one event: only that event is quarantined
    ByteArrayOutputStream raw = new ByteArrayOutputStream();
    raw.writeBytes(utf8("{\"batch\":[" + good("u8-a") + ",{\"type\":\"track\",\"event\":\"x\",\"userId\":\"u1\","
        + "\"properties\":{\"a\":\""));
    raw.writeBytes(new byte[] {(byte) 0xC3, (byte) 0x28, (byte) 0xFF});
    raw.writeBytes(utf8("\"}}," + good("u8-b") + "]}"));
    add("invalid UTF-8 bytes in one event", "/v1/batch", raw.toByteArray(), 200, "invalid_utf8",
        "Content-Type", "application/json", "Authorization", AUTH);
    json("emoji and CJK text", "/v1/batch", "{\"batch\":[{\"type\":\"track\",\"event\":\"emoji 🛒\",\"messageId\":"
        + "\"emoji-1\",\"userId\":\"用户-1\",\"properties\":{\"note\":\"😀 ok 你好\"}}]}", 200, null);
    json("single event missing id answers 400", "/v1/track", "{\"event\":\"x\"}", 400, "missing_id");
    json("skew-corrected event", "/v1/batch", "{\"sentAt\":\"" + Instant.now().plusSeconds(3600) + "\",\"batch\":["
        + "{\"type\":\"track\",\"event\":\"skewed\",\"messageId\":\"skew-1\",\"userId\":\"u-skew\",\"timestamp\":\""
        + Instant.now().plusSeconds(3600 - 60) + "\"}]}", 200, null);
    json("garbage userId with a usable anonymousId is kept", "/v1/batch", "{\"batch\":[{\"type\":\"identify\","
        + "\"messageId\":\"blank-1\",\"userId\":\"undefined\",\"anonymousId\":\"anon-blank\",\"traits\":{\"plan\":"
        + "\"pro\",\"email\":\"A@Example.com\",\"password\":\"hunter2\"}}]}", 200, null);
    json("alias stored with previous_id", "/v1/alias", "{\"previousId\":\"anon-alias\",\"userId\":\"user-alias\","
        + "\"messageId\":\"alias-1\"}", 200, null);
    add("Sensors Data JSON record", "/sa", utf8("{\"type\":\"track\",\"event\":\"ViewProduct\",\"distinct_id\":"
        + "\"sa-anon-1\",\"time\":" + System.currentTimeMillis() + ",\"_track_id\":77,\"properties\":{\"$os\":\"iOS\","
        + "\"product_id\":\"p-9\"}}"), 200, null, "Content-Type", "application/json", "Authorization",
        ServerProcess.basic(ServerProcess.SENSORS_KEY, ""));
    String list = "[{\"type\":\"track_signup\",\"event\":\"$SignUp\",\"distinct_id\":\"sa-user-1\",\"original_id\":"
        + "\"sa-anon-1\",\"time\":" + System.currentTimeMillis() + "},{\"type\":\"profile_set\",\"distinct_id\":"
        + "\"sa-user-1\",\"is_login_id\":true,\"properties\":{\"city\":\"Leeds\"}},{\"type\":\"item_delete\","
        + "\"distinct_id\":\"sa-user-1\"}]";
    add("Sensors Data form data_list gzip", "/sa?token=" + ServerProcess.SENSORS_KEY, utf8("gzip=1&data_list="
        + java.net.URLEncoder.encode(Base64.getEncoder().encodeToString(gzip(utf8(list))), StandardCharsets.UTF_8)),
        200, "schema_violation", "Content-Type", "application/x-www-form-urlencoded");
    add("Sensors Data without token", "/sa", utf8("{}"), 401, "missing_write_key", "Content-Type", "application/json");
    json("GET-only path", "/v1/unknown", "{}", 404, null);

    List<String> wrong = new ArrayList<>();
    int n = 0;
    for (Case c : cases) {
      ServerProcess.Answer a = server.post(c.path(), c.body(), c.headers());
      n++;
      String reason = reasonOf(a, c.status());
      if (a.status() != c.status() || (c.reason() != null && !c.reason().equals(reason))
          || (c.reason() == null && c.status() == 200 && a.body().contains("\"errors\""))) {
        wrong.add(c.name() + ": expected " + c.status() + " " + c.reason() + ", got " + a.status() + " " + a.body());
      }
      if (c.status() == 429 || c.status() == 503) {
        assertTrue(a.response().headers().firstValue("Retry-After").isPresent(), c.name());
      }
      // the server stays up and keeps accepting good events after every case
      ServerProcess.Answer ok = server.post("/v1/track", "{\"event\":\"after_case\",\"userId\":\"u-after\","
          + "\"messageId\":\"after-" + n + "\"}");
      if (ok.status() != 200) {
        wrong.add("after " + c.name() + ": a good event got " + ok.status() + " " + ok.body());
      }
    }
    assertTrue(cases.size() >= 40, "corpus size " + cases.size());
    assertTrue(wrong.isEmpty(), wrong.size() + " of " + cases.size() + " cases wrong:\n" + String.join("\n", wrong));
    System.out.println("corpus: " + cases.size() + " cases answered as documented");

    // good events of mixed batches were kept; quarantine holds the bad ones with reasons
    assertEquals(n, server.awaitCount("SELECT count() FROM events WHERE event_name = 'after_case'", n, 30_000));
    long goodsExpected = cases.stream().filter(c -> c.status() == 200 && c.reason() != null
        && c.path().equals("/v1/batch")).count() * 2;
    assertEquals(goodsExpected, server.awaitCount("SELECT count() FROM events WHERE event_name = 'corpus_ok'"
        + " AND (event_id LIKE '%-a' OR event_id LIKE '%-b')", goodsExpected, 30_000));
    List<String> reasons = server.column("SELECT DISTINCT reason_code FROM quarantine ORDER BY 1");
    for (String r : List.of("event_too_large", "invalid_id", "invalid_timestamp", "invalid_utf8", "missing_id",
        "nul_byte", "out_of_range", "oversize_property", "schema_violation", "timestamp_out_of_tolerance", "too_deep",
        "wrong_type")) {
      assertTrue(reasons.contains(r), r + " not in quarantine: " + reasons);
    }
    assertEquals("1", server.column("SELECT count() FROM quarantine WHERE reason_code = 'invalid_utf8'"
        + " AND detail LIKE '%not valid UTF-8%'").get(0));
  }

  private static String reasonOf(ServerProcess.Answer a, int expectedStatus) {
    try {
      JsonNode n = JSON.readTree(a.body());
      if (a.status() == 200) {
        return n.path("errors").path(0).path("reason").asText(null);
      }
      return n.path("reason").asText(null);
    } catch (Exception e) {
      return null;
    }
  }

  static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  static byte[] gzip(byte[] b) throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
      gz.write(b);
    }
    return out.toByteArray();
  }
}
