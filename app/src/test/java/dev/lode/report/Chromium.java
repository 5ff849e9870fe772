package dev.lode.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One headless Debian Chromium for a test class, driven over the DevTools protocol (JDK WebSocket):
 * open a page at a window width, evaluate a measurement in it, take a full-page screenshot. One
 * browser serves every page, so a class pays Chromium's start once. Absent Chromium is a skip
 * locally and a failure in CI ({@code CI=true}).
 */
final class Chromium implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Process process;
  private final HttpClient http;
  private final WebSocket socket;
  private final AtomicInteger ids = new AtomicInteger();
  private final Map<Integer, CompletableFuture<JsonNode>> pending = new ConcurrentHashMap<>();
  private final String session;

  private Chromium(Process process, URI browser) throws Exception {
    this.process = process;
    // the client lives as long as the socket: closing it waits for the socket to end
    this.http = HttpClient.newHttpClient();
    this.socket = http.newWebSocketBuilder().buildAsync(browser, new Listener()).get(30, TimeUnit.SECONDS);
    String target = call(null, "Target.createTarget", Map.of("url", "about:blank")).path("targetId").asText();
    this.session = call(null, "Target.attachToTarget", Map.of("targetId", target, "flatten", true))
        .path("sessionId").asText();
    call(session, "Page.enable", Map.of());
  }

  /** Whether a Chromium can be started here; when not, a test aborts locally and fails in CI. */
  static boolean available() {
    try {
      Process p = new ProcessBuilder("chromium", "--version").redirectErrorStream(true).start();
      p.getInputStream().readAllBytes();
      return p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0;
    } catch (IOException | InterruptedException e) {
      return false;
    }
  }

  /** Starts Chromium with a profile under {@code dir}, or aborts / fails the test class when it is absent. */
  static Chromium start(Path dir) throws Exception {
    if (!available()) {
      String msg = "chromium is not installed: run .ci/install-chromium (Debian: apt-get install chromium)";
      if ("true".equals(System.getenv("CI"))) {
        throw new AssertionError(msg + " — CI must run the browser tests");
      }
      org.junit.jupiter.api.Assumptions.abort(msg);
    }
    Path profile = Files.createDirectories(dir.resolve("chromium-profile"));
    Process p = new ProcessBuilder("chromium", "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync", "--disable-extensions",
        "--hide-scrollbars", "--remote-debugging-port=0", "--user-data-dir=" + profile, "about:blank")
        .redirectErrorStream(true).start();
    BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
    StringBuilder log = new StringBuilder();
    CompletableFuture<URI> ws = CompletableFuture.supplyAsync(() -> {
      try {
        for (String line; (line = out.readLine()) != null; ) {
          log.append(line).append('\n');
          int i = line.indexOf("ws://");
          if (line.contains("DevTools listening on") && i >= 0) {
            Thread.ofVirtual().start(() -> drain(out));
            return URI.create(line.substring(i).strip());
          }
        }
      } catch (IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
      throw new IllegalStateException("chromium ended without a DevTools endpoint: " + log);
    });
    try {
      return new Chromium(p, ws.get(90, TimeUnit.SECONDS));
    } catch (Exception e) {
      p.destroyForcibly();
      throw new AssertionError("chromium did not start: " + log, e);
    }
  }

  private static void drain(BufferedReader out) {
    try {
      while (out.readLine() != null) {
        // Chromium's own log lines (dbus, GPU) are noise here
      }
    } catch (IOException ignored) {
      // the browser closed
    }
  }

  /** Loads {@code page} at {@code width} × {@code height} CSS pixels (mobile emulation below 600 px wide). */
  void open(Path page, int width, int height) throws Exception {
    call(session, "Emulation.setDeviceMetricsOverride", Map.of("width", width, "height", height,
        "deviceScaleFactor", 1, "mobile", width < 600));
    call(session, "Page.navigate", Map.of("url", page.toUri().toString()));
    for (int i = 0; i < 200; i++) {
      if ("complete".equals(evaluate("document.readyState").asText())) {
        return;
      }
      Thread.sleep(50);
    }
    throw new AssertionError(page + " did not finish loading");
  }

  /** The value of a JavaScript expression in the open page. */
  JsonNode evaluate(String expression) throws Exception {
    JsonNode r = call(session, "Runtime.evaluate", Map.of("expression", expression, "returnByValue", true));
    if (r.has("exceptionDetails")) {
      throw new AssertionError("script failed: " + r.path("exceptionDetails"));
    }
    return r.path("result").path("value");
  }

  /** A PNG of the whole page (beyond the window's height) written to {@code png}. */
  void screenshot(Path png) throws Exception {
    JsonNode size = evaluate("({w: document.documentElement.scrollWidth, h: document.documentElement.scrollHeight})");
    Map<String, Object> clip = Map.of("x", 0, "y", 0, "width", size.path("w").asInt(), "height",
        Math.min(size.path("h").asInt(), 12_000), "scale", 1);
    JsonNode r = call(session, "Page.captureScreenshot", Map.of("format", "png", "captureBeyondViewport", true,
        "clip", clip));
    Files.write(png, Base64.getDecoder().decode(r.path("data").asText()));
  }

  private JsonNode call(String sessionId, String method, Map<String, ?> params) throws Exception {
    int id = ids.incrementAndGet();
    Map<String, Object> msg = new LinkedHashMap<>();
    msg.put("id", id);
    msg.put("method", method);
    msg.put("params", params);
    if (sessionId != null) {
      msg.put("sessionId", sessionId);
    }
    CompletableFuture<JsonNode> answer = new CompletableFuture<>();
    pending.put(id, answer);
    socket.sendText(JSON.writeValueAsString(msg), true).get(30, TimeUnit.SECONDS);
    JsonNode r = answer.get(60, TimeUnit.SECONDS);
    if (r.has("error")) {
      throw new AssertionError(method + " failed: " + r.path("error"));
    }
    return r.path("result");
  }

  /** Collects the browser's answers (large screenshots arrive in several frames) and completes their calls. */
  private final class Listener implements WebSocket.Listener {
    private final StringBuilder buffer = new StringBuilder();

    @Override
    public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
      buffer.append(data);
      if (last) {
        try {
          JsonNode m = JSON.readTree(buffer.toString());
          if (m.has("id")) {
            CompletableFuture<JsonNode> f = pending.remove(m.path("id").asInt());
            if (f != null) {
              f.complete(m);
            }
          }
        } catch (IOException e) {
          pending.values().forEach(f -> f.completeExceptionally(e));
        }
        buffer.setLength(0);
      }
      ws.request(1);
      return null;
    }
  }

  @Override
  public void close() {
    try {
      socket.sendClose(WebSocket.NORMAL_CLOSURE, "").get(5, TimeUnit.SECONDS);
    } catch (Exception ignored) {
      // the browser is stopped below either way
    }
    http.shutdownNow();
    process.destroy();
    try {
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }
}
