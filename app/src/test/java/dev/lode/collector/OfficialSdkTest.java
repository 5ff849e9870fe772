package dev.lode.collector;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The official Node tracking SDKs, installed from the npm registry at the versions of
 * {@code src/test/node/package-lock.json}, deliver through a running server: Segment's
 * {@code @segment/analytics-node} (JSON batches) and RudderStack's {@code @rudderstack/rudder-sdk-node}
 * (gzip'd JSON its HTTP client labels as a form), plus the form the Sensors Data SDKs post
 * ({@code data_list}, base64 of gzip'd JSON). Each SDK must report no delivery error, and each
 * event sent must be in {@code events} exactly once — the ids sent compared with the rows stored.
 * Skips only when {@code node} is not installed ({@code .ci/install-node} installs it on CI).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class OfficialSdkTest {
  private static final int EVENTS = 400;
  private static final Path SDKS = Path.of("target", "node-sdks");
  private ServerProcess server;

  @BeforeAll
  void install(@TempDir Path home) throws Exception {
    String node = output(List.of("node", "--version"), Path.of("."));
    Assumptions.assumeTrue(node != null, "node is not installed: the official SDK check needs Node.js and npm"
        + " (.ci/install-node installs Debian's)");
    Files.createDirectories(SDKS);
    for (String f : List.of("package.json", "package-lock.json", "send.js")) {
      Files.copy(Path.of("src", "test", "node", f), SDKS.resolve(f), StandardCopyOption.REPLACE_EXISTING);
    }
    // npm ci installs exactly the lock file's versions (install scripts are not needed by either SDK);
    // a copy of the lock it installed from saves the download when nothing changed
    Path installedFrom = SDKS.resolve("node_modules").resolve(".installed-from-lock.json");
    if (!Files.exists(installedFrom) || Files.mismatch(installedFrom, SDKS.resolve("package-lock.json")) != -1) {
      run(List.of("npm", "ci", "--no-audit", "--no-fund", "--ignore-scripts"), SDKS, 300);
      Files.copy(SDKS.resolve("package-lock.json"), installedFrom, StandardCopyOption.REPLACE_EXISTING);
    }
    server = ServerProcess.start(home, Map.of("lode.demo.enabled", "false"));
  }

  @AfterAll
  void stop() throws Exception {
    if (server != null) {
      server.close();
    }
  }

  /** Segment's {@code @segment/analytics-node} and RudderStack's {@code @rudderstack/rudder-sdk-node}, as send.js drives them. */
  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"segment", "rudder"})
  void officialNodeSdkDeliversEveryEventOnce(String sdk) throws Exception {
    String prefix = sdk.substring(0, 3) + "-" + System.nanoTime();
    run(List.of("node", "send.js", sdk, server.url(), ServerProcess.WRITE_KEY, Integer.toString(EVENTS), prefix),
        SDKS, 120);
    assertEachOnce(prefix, sent(prefix, EVENTS));
    assertMessageIdsAreEventIds(prefix);
  }

  @Test
  void sensorsDataFormDeliversEveryEventOnce() throws Exception {
    String prefix = "sa-" + System.nanoTime();
    long now = System.currentTimeMillis();
    for (int batch = 0; batch < EVENTS / 50; batch++) {
      StringBuilder list = new StringBuilder("[");
      for (int j = 0; j < 50; j++) {
        int i = batch * 50 + j;
        list.append(j == 0 ? "" : ",").append("{\"type\":\"track\",\"event\":\"sdk_check\",\"distinct_id\":\"")
            .append(prefix).append("-user-").append(i % 7).append("\",\"time\":").append(now - i).append(",\"_track_id\":")
            .append(100_000 + i).append(",\"lib\":{\"$lib\":\"js\",\"$lib_version\":\"1.26.0\"},\"properties\":{")
            .append("\"$os\":\"Linux\",\"sdk_check_id\":\"").append(prefix).append('-').append(i).append("\"}}");
      }
      list.append(']');
      // as the Sensors SDKs post: data_list = base64(gzip(json)), gzip=1, URL-encoded
      String form = "data_list=" + URLEncoder.encode(Base64.getEncoder().encodeToString(gzip(list.toString())),
          StandardCharsets.UTF_8) + "&gzip=1";
      ServerProcess.Answer a = server.post("/sa?token=" + ServerProcess.SENSORS_KEY, form.getBytes(StandardCharsets.UTF_8),
          "Content-Type", "application/x-www-form-urlencoded");
      assertEquals(200, a.status(), a.body());
    }
    assertEachOnce(prefix, sent(prefix, EVENTS));
  }

  private static List<String> sent(String prefix, int n) {
    List<String> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      out.add(prefix + "-" + i);
    }
    return out;
  }

  /**
   * Every id sent is one event of {@code events} (one row under FINAL), and no other event has
   * the prefix. Without FINAL a page view may have further rows — the dwell-time updates the
   * collector writes to replace it, each with a new {@code dwell_ms} — but never two rows with
   * the same {@code dwell_ms}, which is what a second delivery would leave.
   */
  private void assertEachOnce(String prefix, List<String> sent) throws Exception {
    String where = "properties['sdk_check_id'] LIKE '" + prefix + "-%'";
    server.awaitCount("SELECT count() FROM events FINAL WHERE " + where, sent.size(), 60_000);
    Map<String, long[]> stored = new TreeMap<>();
    for (String row : server.column("SELECT concat(properties['sdk_check_id'], ' ', toString(count()), ' ',"
        + " toString(uniqExact(dwell_ms))) FROM events WHERE " + where + " GROUP BY properties['sdk_check_id']")) {
      String[] p = row.split(" ");
      stored.put(p[0], new long[] {Long.parseLong(p[1]), Long.parseLong(p[2])});
    }
    List<String> missing = sent.stream().filter(id -> !stored.containsKey(id)).toList();
    List<String> copied = stored.entrySet().stream().filter(e -> e.getValue()[0] != e.getValue()[1])
        .map(Map.Entry::getKey).toList();
    assertTrue(missing.isEmpty(), missing.size() + " of " + sent.size() + " events never arrived: "
        + missing.subList(0, Math.min(5, missing.size())));
    assertTrue(copied.isEmpty(), copied.size() + " events were stored more than once: " + copied);
    assertEquals(sent.size(), stored.size(), "rows with ids that were never sent");
    assertEquals(Long.toString(sent.size()), server.column("SELECT count() FROM events FINAL WHERE " + where).get(0));
    assertEquals("0", server.column("SELECT count() FROM (SELECT properties['sdk_check_id'] AS id FROM events"
        + " WHERE " + where + " AND event_type != 'page' GROUP BY id HAVING count() > 1)").get(0),
        "only page views get dwell-time rows");
  }

  /** The SDKs' messageIds are the stored event ids (what the collector dedups retries by). */
  private void assertMessageIdsAreEventIds(String prefix) throws Exception {
    assertEquals("0", server.column("SELECT count() FROM events WHERE properties['sdk_check_id'] LIKE '" + prefix
        + "-%' AND event_id != properties['sdk_check_id']").get(0));
  }

  private static byte[] gzip(String s) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
      gz.write(s.getBytes(StandardCharsets.UTF_8));
    }
    return out.toByteArray();
  }

  /** Runs a command in {@code dir}; fails the test with its output unless it exits 0 within the timeout. */
  private static void run(List<String> cmd, Path dir, long timeoutSeconds) throws Exception {
    Path log = Files.createTempFile(SDKS.toAbsolutePath(), "run-", ".log");
    Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true)
        .redirectOutput(log.toFile()).start();
    boolean done = p.waitFor(timeoutSeconds, TimeUnit.SECONDS);
    if (!done) {
      p.destroyForcibly();
      p.waitFor(10, TimeUnit.SECONDS);
    }
    String text = Files.readString(log);
    Files.delete(log);
    assertTrue(done && p.exitValue() == 0, String.join(" ", cmd) + (done ? " failed:\n" : " timed out:\n") + text);
  }

  /** A command's output, or null when it cannot be started or fails (the tool is not installed). */
  private static String output(List<String> cmd, Path dir) {
    try {
      Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true).start();
      String text = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
      return p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0 ? text : null;
    } catch (IOException e) {
      return null;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return null;
    }
  }
}
