package dev.lode.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The loopback endpoint speaks the ClickHouse HTTP protocol the way clickhouse-jdbc needs it. */
class ClickHouseHttpEndpointTest {
  private static EmbeddedEngine engine;
  private static ClickHouseHttpEndpoint endpoint;
  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private static final String AUTH = "Basic " + Base64.getEncoder().encodeToString("lode:secret".getBytes(StandardCharsets.UTF_8));

  @BeforeAll
  static void start() throws IOException {
    Path dir = Files.createTempDirectory(Path.of("target").toAbsolutePath(), "endpoint-");
    engine = EmbeddedEngine.start(EngineConfig.defaults(dir, "lode", "secret"));
    endpoint = ClickHouseHttpEndpoint.start(engine, 0, "lode", "secret", 4);
  }

  @AfterAll
  static void stop() {
    endpoint.close();
    engine.close();
  }

  private static HttpResponse<String> post(String params, String body, boolean auth) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(endpoint.url() + "/?" + params))
        .POST(HttpRequest.BodyPublishers.ofString(body));
    if (auth) {
      b.header("Authorization", AUTH);
    }
    return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void pingNeedsNoCredentialsButQueriesDo() throws Exception {
    assertEquals("Ok.\n", HTTP.send(HttpRequest.newBuilder(URI.create(endpoint.url() + "/ping")).build(),
        HttpResponse.BodyHandlers.ofString()).body());
    HttpResponse<String> r = post("", "SELECT 1", false);
    assertEquals(401, r.statusCode());
    assertEquals("516", r.headers().firstValue("X-ClickHouse-Exception-Code").orElse(""));
    HttpResponse<String> wrong = HTTP.send(HttpRequest.newBuilder(URI.create(endpoint.url() + "/"))
        .header("X-ClickHouse-User", "lode").header("X-ClickHouse-Key", "guess")
        .POST(HttpRequest.BodyPublishers.ofString("SELECT 1")).build(), HttpResponse.BodyHandlers.ofString());
    assertEquals(401, wrong.statusCode());
  }

  @Test
  void errorsCarryTheEngineCodeAndText() throws Exception {
    HttpResponse<String> r = post("", "SELECT FROM WHERE", true);
    assertEquals(500, r.statusCode());
    assertEquals("62", r.headers().firstValue("X-ClickHouse-Exception-Code").orElse(""));
    assertTrue(r.body().startsWith("Code: 62. DB::Exception:"), r.body());
    assertEquals("2\n", post("", "SELECT 1 + 1", true).body(), "the endpoint keeps serving");
  }

  @Test
  void parametersAreBoundByTheEngineNotPasted() throws Exception {
    String evil = URLEncoder.encode("1'; DROP TABLE x; --", StandardCharsets.UTF_8);
    assertEquals("1'; DROP TABLE x; --\n", post("default_format=TSVRaw&param_v=" + evil, "SELECT {v:String}", true).body());
    assertEquals("42\n", post("param_x=41", "SELECT {x:UInt32} + 1", true).body());
  }

  @Test
  void urlSettingsApplyToOneStatementOnly() throws Exception {
    HttpResponse<String> limited = post("max_result_rows=10&result_overflow_mode=throw",
        "SELECT number FROM numbers(1000)", true);
    assertEquals(500, limited.statusCode());
    assertEquals("396", limited.headers().firstValue("X-ClickHouse-Exception-Code").orElse(""), limited.body());
    for (int i = 0; i < 8; i++) { // every pooled session is back to defaults
      assertEquals("0\n", post("", "SELECT getSetting('max_result_rows')", true).body());
    }
  }

  @Test
  void insertBodiesStreamIntoTheEngineAndTheDatabaseParameterSelects() throws Exception {
    post("", "CREATE DATABASE IF NOT EXISTS ep", true);
    post("", "CREATE TABLE IF NOT EXISTS ep.rows (id UInt64, name String) ENGINE = MergeTree ORDER BY id", true);
    StringBuilder csv = new StringBuilder();
    for (int i = 0; i < 50_000; i++) {
      csv.append(i).append(",\"name ").append(i).append("\"\n");
    }
    HttpResponse<String> ins = post("database=ep&query=" + URLEncoder.encode("INSERT INTO rows FORMAT CSV",
        StandardCharsets.UTF_8), csv.toString(), true);
    assertEquals(200, ins.statusCode(), ins.body());
    assertTrue(ins.headers().firstValue("X-ClickHouse-Summary").orElse("").contains("\"written_rows\":\"50000\""),
        ins.headers().map().toString());
    assertEquals("50000\t1249975000\n", post("database=ep", "SELECT count(), sum(id) FROM rows", true).body());
    HttpResponse<String> bad = post("database=ep&query=" + URLEncoder.encode("INSERT INTO rows FORMAT CSV",
        StandardCharsets.UTF_8), "1,\"ok\"\nnot-a-number,\"x\"\n", true);
    assertEquals(500, bad.statusCode());
    assertEquals("50000\n", post("database=ep", "SELECT count() FROM rows", true).body(), "a bad insert adds nothing");
  }

  @Test
  void aFailureAfterTheFirstMegabyteBreaksTheResponseNotTheServer() throws Exception {
    HttpRequest req = HttpRequest.newBuilder(URI.create(endpoint.url() + "/?max_block_size=65536"))
        .header("Authorization", AUTH)
        .POST(HttpRequest.BodyPublishers.ofString("SELECT number, throwIf(number = 3000000) FROM numbers(4000000)"))
        .build();
    Exception e = assertThrows(Exception.class, () -> {
      HttpResponse<String> r = HTTP.send(req, HttpResponse.BodyHandlers.ofString());
      if (r.statusCode() == 500) {
        throw new IOException("failed before streaming: " + r.body());
      }
    });
    assertTrue(e instanceof IOException, e.toString());
    assertEquals("1\n", post("", "SELECT 1", true).body());
  }
}
