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
    // RudderStack's Node SDK: gzip'd JSON under axios's default form type; only that shape passes as a form
    add("gzip'd JSON declared as a form (RudderStack Node SDK)", "/v1/batch",
        gzip(utf8("{\"batch\":[" + good("rs1") + "]}")), 200, null, "Content-Type", "application/x-www-form-urlencoded",
        "Content-Encoding", "gzip", "Authorization", AUTH);
    add("a real form on a Segment endpoint", "/v1/batch", utf8("batch=1&event=x"), 415, "unsupported_media_type",
        "Content-Type", "application/x-www-form-urlencoded", "Authorization", AUTH);
    add("gzip'd form fields on a Segment endpoint", "/v1/batch", gzip(utf8("batch=1&event=x")), 415,
        "unsupported_media_type", "Content-Type", "application/x-www-form-urlencoded", "Content-Encoding", "gzip",
        "Authorization", AUTH);
    add("plain JSON declared as a form", "/v1/batch", utf8("{\"batch\":[" + good("rs2") + "]}"), 415,
        "unsupported_media_type", "Content-Type", "application/x-www-form-urlencoded", "Authorization", AUTH);
    add("form type, gzip encoding, body not gzip", "/v1/batch", utf8("{\"batch\":[]}"), 400, "invalid_gzip",
        "Content-Type", "application/x-www-form-urlencoded", "Content-Encoding", "gzip", "Authorization", AUTH);
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
    for (String separator : List.of("\\n", "\\r", "\\u0085", "\\u2028")) {
      bad("event name with " + separator, "{\"type\":\"track\",\"event\":\"buy" + separator + "now\",\"anonymousId\":"
          + "\"anon-x\"}", "invalid_event_name");
    }
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
    for (String r : List.of("event_too_large", "invalid_event_name", "invalid_id", "invalid_timestamp", "invalid_utf8",
        "missing_id", "nul_byte", "out_of_range", "oversize_property", "schema_violation", "timestamp_out_of_tolerance", "too_deep",
        "wrong_type")) {
      assertTrue(reasons.contains(r), r + " not in quarantine: " + reasons);
    }
    assertEquals("1", server.column("SELECT count() FROM quarantine WHERE reason_code = 'invalid_utf8'"
        + " AND detail LIKE '%not valid UTF-8%'").get(0));
  }

  @Test
  void storedRowsFollowTheRules() throws Exception {
    ServerProcess s = server;
    assertEquals(200, s.post("/v1/batch", "{\"batch\":[{\"type\":\"identify\",\"messageId\":\"rules-blank\","
        + "\"userId\":\"null\",\"anonymousId\":\"anon-rules\",\"traits\":{\"plan\":\"pro\",\"email\":"
        + "\"A@Example.com\",\"password\":\"hunter2\"}},{\"type\":\"track\",\"event\":\"emoji 🛒\",\"messageId\":"
        + "\"rules-emoji\",\"userId\":\"用户-1\",\"properties\":{\"note\":\"😀 ok 你好\"}},{\"type\":\"alias\","
        + "\"messageId\":\"rules-alias\",\"previousId\":\"anon-rules\",\"userId\":\"user-rules\"}]}").status());
    Instant now = Instant.now();
    assertEquals(200, s.post("/v1/batch", "{\"sentAt\":\"" + now.plusSeconds(3600) + "\",\"batch\":[{\"type\":"
        + "\"track\",\"event\":\"skewed\",\"messageId\":\"rules-skew\",\"userId\":\"u-skew\",\"timestamp\":\""
        + now.plusSeconds(3600 - 60) + "\"}]}").status());
    s.awaitCount("SELECT count() FROM events WHERE event_id LIKE 'rules-%'", 4, 30_000);

    assertEquals(List.of("|anon-rules|anon-rules|null|pro|1|0"), s.column("SELECT concat(user_id, '|',"
        + " anonymous_id, '|', distinct_id, '|', properties['$invalid_user_id'], '|', properties['plan'], '|',"
        + " toString(match(properties['email'], '^[0-9a-f]{64}$')), '|', toString(mapContains(properties, 'password')))"
        + " FROM events WHERE event_id = 'rules-blank'"));
    assertEquals(List.of("emoji 🛒|用户-1|😀 ok 你好"), s.column("SELECT concat(event_name, '|', user_id, '|',"
        + " properties['note']) FROM events WHERE event_id = 'rules-emoji'"));
    assertEquals(List.of("alias|user-rules|anon-rules"), s.column("SELECT concat(event_type, '|', user_id, '|',"
        + " properties['previous_id']) FROM events WHERE event_id = 'rules-alias'"));
    // client clock an hour fast: event_time = receivedAt - (sentAt - timestamp) = receivedAt - 60 s
    long skew = s.count("SELECT toUnixTimestamp64Milli(received_time) - toUnixTimestamp64Milli(event_time)"
        + " FROM events WHERE event_id = 'rules-skew'");
    assertTrue(Math.abs(skew - 60_000) < 5_000, "corrected skew " + skew);

    // Sensors Data: track_signup is an alias, profile_set an identify
    assertEquals(200, s.post("/sa", utf8("[{\"type\":\"track_signup\",\"event\":\"$SignUp\",\"distinct_id\":"
        + "\"sa-user-r\",\"original_id\":\"sa-anon-r\",\"_track_id\":1},{\"type\":\"profile_set\",\"distinct_id\":"
        + "\"sa-user-r\",\"is_login_id\":true,\"_track_id\":2,\"properties\":{\"city\":\"Leeds\"}}]"),
        "Content-Type", "application/json", "Authorization", ServerProcess.basic(ServerProcess.SENSORS_KEY, "")).status());
    s.awaitCount("SELECT count() FROM events WHERE source = 'sensors' AND user_id = 'sa-user-r'", 2, 30_000);
    assertEquals(List.of("alias|sa-anon-r|sa-anon-r", "identify||Leeds"), s.column("SELECT concat(event_type, '|',"
        + " properties['previous_id'], '|', if(event_type = 'alias', anonymous_id, properties['city'])) FROM events"
        + " WHERE source = 'sensors' AND user_id = 'sa-user-r' ORDER BY event_type"));

    // the policy in force is a table
    assertEquals(List.of("1 interactions summarize 1 0", "2 debug sample 0.5 7", "3 audit keep 1 365",
        "4 default keep 1 0"), s.column("SELECT concat(toString(position), ' ', rule, ' ', action, ' ',"
        + " toString(sample_rate), ' ', toString(retention_days)) FROM collector_policy ORDER BY position"));

    // sampling keeps about half the persons, each with all of their events
    StringBuilder b = new StringBuilder("{\"batch\":[");
    for (int p = 0; p < 200; p++) {
      for (int e = 0; e < 3; e++) {
        b.append(p + e == 0 ? "" : ",").append("{\"type\":\"track\",\"event\":\"debug_step").append(e)
            .append("\",\"anonymousId\":\"sample-").append(p).append("\",\"messageId\":\"sample-").append(p)
            .append('-').append(e).append("\"}");
      }
    }
    b.append(",{\"type\":\"track\",\"event\":\"audit_login\",\"userId\":\"u-audit\",\"messageId\":\"audit-1\"}]}");
    ServerProcess.Answer sampled = s.post("/v1/batch", b.toString());
    JsonNode sa = JSON.readTree(sampled.body());
    int kept = sa.path("accepted").asInt() - 1;
    assertEquals(600, kept + sa.path("sampledOut").asInt(), sampled.body());
    assertTrue(kept > 600 * 0.3 && kept < 600 * 0.7, "kept " + kept);
    s.awaitCount("SELECT count() FROM events WHERE event_name LIKE 'debug_%'", kept, 30_000);
    assertEquals(List.of("3"), s.column("SELECT DISTINCT count() FROM events WHERE event_name LIKE 'debug_%'"
        + " GROUP BY anonymous_id"), "a sampled person keeps all their events");
    assertEquals(List.of("7|0.5"), s.column("SELECT DISTINCT concat(toString(retention_days), '|',"
        + " properties['$sample_rate']) FROM events WHERE event_name LIKE 'debug_%'"));
    s.awaitCount("SELECT count() FROM events WHERE event_id = 'audit-1'", 1, 30_000);
    assertEquals(List.of("365"), s.column("SELECT toString(retention_days) FROM events WHERE event_id = 'audit-1'"));
  }

  @Test
  void dwellTimeIsFoldedIntoPageViews() throws Exception {
    Instant t0 = Instant.now().minusSeconds(120);
    String v = "\"anonymousId\":\"anon-dwell\",\"context\":{\"sessionId\":\"s1\"}";
    String[] posts = {
        "{\"type\":\"page\",\"messageId\":\"dw-p1\",\"name\":\"home\",\"properties\":{\"path\":\"/\"},"
            + "\"timestamp\":\"" + t0 + "\"," + v + "}",
        "{\"type\":\"track\",\"event\":\"heartbeat\",\"messageId\":\"dw-h1\",\"timestamp\":\""
            + t0.plusSeconds(5) + "\"," + v + "}",
        "{\"type\":\"track\",\"event\":\"scroll\",\"messageId\":\"dw-s1\",\"timestamp\":\""
            + t0.plusSeconds(12) + "\"," + v + "}",
        "{\"type\":\"page\",\"messageId\":\"dw-p2\",\"name\":\"product\",\"properties\":{\"path\":\"/p/1\"},"
            + "\"timestamp\":\"" + t0.plusSeconds(20) + "\"," + v + "}",
        "{\"type\":\"track\",\"event\":\"page_leave\",\"messageId\":\"dw-l2\",\"timestamp\":\""
            + t0.plusSeconds(27) + "\"," + v + "}"};
    for (String p : posts) {
      assertEquals(200, server.post("/v1/batch", "{\"batch\":[" + p + "]}").status());
      Thread.sleep(300); // separate flushes: updates must replace rows already stored
    }
    server.awaitCount("SELECT count() FROM events FINAL WHERE anonymous_id = 'anon-dwell' AND dwell_ms > 0", 2, 30_000);
    assertEquals(List.of("/|20000|next_page_view", "/p/1|7000|page_leave"), server.column("SELECT concat(page, '|',"
        + " toString(dwell_ms), '|', properties['$dwell_source']) FROM events FINAL WHERE anonymous_id = 'anon-dwell'"
        + " AND event_type = 'page' ORDER BY event_time"));
    assertEquals(List.of("0"), server.column("SELECT count() FROM events WHERE anonymous_id = 'anon-dwell'"
        + " AND event_name IN ('heartbeat', 'scroll')"), "summarized events are not stored");
  }

  /**
   * An answer given before the request's body was read to its end tells the client the connection
   * closes (the container closes it; a client not told so sends its next request on the dead
   * connection), and an accepted event keeps it open.
   */
  @Test
  void refusalsBeforeTheBodyIsReadCloseTheConnectionOpenly() throws Exception {
    byte[] body = ("{\"event\":\"x\",\"userId\":\"u-close\",\"pad\":\"" + "p".repeat(50_000) + "\"}")
        .getBytes(java.nio.charset.StandardCharsets.UTF_8);
    ServerProcess.Answer unknownKey = server.post("/v1/track", body, "Content-Type", "application/json",
        "Authorization", ServerProcess.basic("no-such-key", ""));
    assertEquals(401, unknownKey.status(), unknownKey.body());
    assertEquals(java.util.Optional.of("close"), unknownKey.response().headers().firstValue("Connection"));
    ServerProcess.Answer mediaType = server.post("/v1/track", body, "Content-Type", "text/csv",
        "Authorization", ServerProcess.basic(ServerProcess.WRITE_KEY, ""));
    assertEquals(415, mediaType.status(), mediaType.body());
    assertEquals(java.util.Optional.of("close"), mediaType.response().headers().firstValue("Connection"));
    ServerProcess.Answer ok = server.post("/v1/track", "{\"event\":\"kept_open\",\"userId\":\"u-close\","
        + "\"messageId\":\"kept-open-1\"}");
    assertEquals(200, ok.status(), ok.body());
    assertTrue(ok.response().headers().firstValue("Connection").isEmpty(), ok.response().headers().map().toString());
  }

  @Test
  void metricsArePrometheusTextBehindAuthentication() throws Exception {
    assertEquals(401, server.get("/metrics").status());
    ServerProcess.Answer m = server.get("/metrics", "Authorization",
        ServerProcess.basic("admin", ServerProcess.ADMIN_PASSWORD));
    assertEquals(200, m.status());
    assertTrue(m.response().headers().firstValue("Content-Type").orElse("").startsWith("text/plain"));
    for (String line : m.body().split("\n")) {
      assertTrue(line.matches("# (HELP|TYPE) lode_\\w+ .+|lode_\\w+(\\{(\\w+=\"[^\"]*\",?)+\\})? -?[0-9.eE+]+"),
          "not Prometheus text: " + line);
    }
    for (String name : List.of("lode_collector_events_accepted_total", "lode_collector_events_deduplicated_total",
        "lode_collector_events_quarantined_total{reason=\"invalid_id\"}", "lode_collector_spooled_records_total",
        "lode_collector_flushed_events_total", "lode_collector_flush_lag_seconds", "lode_collector_spool_pending_bytes",
        "lode_collector_requests_total{status=\"200\",reason=\"ok\"}")) {
      assertTrue(m.body().contains(name + " "), name + " missing:\n" + m.body());
    }
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
