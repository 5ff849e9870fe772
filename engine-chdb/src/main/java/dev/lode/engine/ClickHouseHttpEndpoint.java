package dev.lode.engine;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.concurrent.Executors;
import java.util.zip.GZIPInputStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves the embedded engine on a loopback port over the ClickHouse HTTP protocol, so
 * clickhouse-jdbc talks to it exactly as to a ClickHouse server: query from the body
 * and/or {@code query=}, {@code database}, URL settings, {@code param_*} parameters,
 * {@code X-ClickHouse-*} headers, and errors as HTTP 500 with the engine's
 * {@code Code: N. DB::Exception: …} text and {@code X-ClickHouse-Exception-Code}.
 * Every request must carry the configured credentials.
 */
public final class ClickHouseHttpEndpoint implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ClickHouseHttpEndpoint.class);

  /** URL parameters that belong to the HTTP protocol or the client, not engine settings. */
  private static final Set<String> PROTOCOL_PARAMS = Set.of("query", "database", "default_format", "query_id",
      "session_id", "session_timeout", "session_check", "user", "password", "compress", "decompress",
      "enable_http_compression", "buffer_size", "wait_end_of_query", "quota_key", "client_protocol_version",
      "send_progress_in_http_headers", "http_headers_progress_interval_ms", "http_zlib_compression_level",
      "role", "default_session_timeout");

  /** {@code INSERT INTO … FORMAT X} with nothing after the format name: the body holds the rows. */
  private static final Pattern INSERT_FORMAT =
      Pattern.compile("(?is)\\s*(INSERT\\s+INTO\\s+.+?)\\s+FORMAT\\s+([A-Za-z0-9_]+)\\s*;?\\s*");

  private final EmbeddedEngine engine;
  private final HttpServer server;
  private final ExecutorService workers;
  private final byte[] expectedUser;
  private final byte[] expectedPassword;
  private final String timezone;

  private ClickHouseHttpEndpoint(EmbeddedEngine engine, HttpServer server, ExecutorService workers, String user,
                                 String password) {
    this.engine = engine;
    this.server = server;
    this.workers = workers;
    this.expectedUser = user.getBytes(StandardCharsets.UTF_8);
    this.expectedPassword = password.getBytes(StandardCharsets.UTF_8);
    this.timezone = engine.query("SELECT timezone()").trim();
  }

  static {
    // The JDK's HTTP server leaves Nagle's algorithm on (it reads this property once, when its first
    // server is created). A result written as headers and then several body chunks then waits for
    // the client's delayed ACK, ~40 ms, on a later small write: a 17 ms point query took 60 ms.
    if (System.getProperty("sun.net.httpserver.nodelay") == null) {
      System.setProperty("sun.net.httpserver.nodelay", "true");
    }
  }

  /** Binds 127.0.0.1 on {@code port} (0 = any free port) and starts serving. */
  public static ClickHouseHttpEndpoint start(EmbeddedEngine engine, int port, String user, String password, int threads)
      throws IOException {
    HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 128);
    ExecutorService workers = Executors.newFixedThreadPool(Math.max(2, threads), r -> {
      Thread t = new Thread(r, "lode-engine-http");
      t.setDaemon(true);
      return t;
    });
    ClickHouseHttpEndpoint endpoint = new ClickHouseHttpEndpoint(engine, server, workers, user, password);
    server.setExecutor(workers);
    server.createContext("/", endpoint::handle);
    server.start();
    return endpoint;
  }

  public int port() {
    return server.getAddress().getPort();
  }

  /** The base URL, e.g. {@code http://127.0.0.1:8123}. */
  public String url() {
    return "http://127.0.0.1:" + port();
  }

  private void handle(HttpExchange ex) throws IOException {
    String queryId = UUID.randomUUID().toString();
    try {
      String path = ex.getRequestURI().getPath();
      Map<String, String> params = parseQuery(ex.getRequestURI().getRawQuery());
      if (path.equals("/ping") || (path.equals("/") && ex.getRequestMethod().equals("GET") && !params.containsKey("query"))) {
        respondText(ex, 200, "Ok.\n", null);
        return;
      }
      if (!authenticated(ex, params)) {
        respondError(ex, 401, new EngineException(
            "Code: 516. DB::Exception: " + "Authentication failed: password is incorrect, or there is no user with such name. (AUTHENTICATION_FAILED)"),
            queryId);
        return;
      }
      if ("1".equals(params.get("compress"))) {
        respondError(ex, 400, new EngineException("Code: 36. DB::Exception: compress=1 (ClickHouse-framed LZ4) is not"
            + " supported by the embedded endpoint; connect with compress=0. (BAD_ARGUMENTS)"), queryId);
        return;
      }
      queryId = params.getOrDefault("query_id", queryId);
      String queryParam = params.get("query");
      InputStream bodyStream = bodyStream(ex);
      Matcher insert = queryParam == null ? null : INSERT_FORMAT.matcher(queryParam);
      if (insert != null && insert.matches()) {
        // INSERT … FORMAT X with the rows in the body: streamed into the engine, never buffered whole
        execute(ex, new Statement(insert.group(1).getBytes(StandardCharsets.UTF_8), false, "TabSeparated",
            database(ex, params), settings(params), Map.of(), bodyStream, insert.group(2)), queryId);
        return;
      }
      byte[] body = bodyStream.readAllBytes();
      byte[] sql;
      boolean inlineData;
      if (queryParam != null && !queryParam.isEmpty()) {
        byte[] q = queryParam.getBytes(StandardCharsets.UTF_8);
        inlineData = body.length > 0;
        if (inlineData) {
          sql = new byte[q.length + 1 + body.length];
          System.arraycopy(q, 0, sql, 0, q.length);
          sql[q.length] = '\n';
          System.arraycopy(body, 0, sql, q.length + 1, body.length);
        } else {
          sql = q;
        }
      } else {
        sql = body;
        inlineData = false;
      }
      if (LOG.isDebugEnabled()) {
        LOG.debug("request {} params={} body={} bytes, start={}", queryId, params.keySet(), body.length,
            new String(sql, 0, Math.min(sql.length, 300), StandardCharsets.UTF_8));
      }
      if (sql.length == 0) {
        respondError(ex, 400, new EngineException("Code: 62. DB::Exception: Empty query. (SYNTAX_ERROR)"), queryId);
        return;
      }
      String format = firstNonEmpty(ex.getRequestHeaders().getFirst("X-ClickHouse-Format"), params.get("default_format"),
          "TabSeparated");
      Map<String, String> queryParams = new LinkedHashMap<>();
      for (var e : params.entrySet()) {
        if (e.getKey().startsWith("param_")) {
          queryParams.put(e.getKey().substring("param_".length()), e.getValue());
        }
      }
      execute(ex, new Statement(sql, inlineData, format, database(ex, params), settings(params), queryParams, null, null),
          queryId);
    } catch (AbortConnection e) {
      LOG.debug("result failed mid-stream; dropping the connection", e);
      throw e; // the HTTP server closes the connection without finishing the response
    } catch (RuntimeException | IOException e) {
      LOG.debug("request failed", e);
    }
    ex.close();
  }

  /** Thrown out of the handler so the HTTP server drops the connection mid-response. */
  private static final class AbortConnection extends RuntimeException {
    private static final long serialVersionUID = 1L;

    AbortConnection(Throwable cause) {
      super(cause);
    }
  }

  private void execute(HttpExchange ex, Statement st, String queryId) throws IOException {
    // The first MiB is held back, so an error in a small or starting result is an HTTP error
    // with its code, not a truncated body.
    var state = new Object() {
      OutputStream out;
      final ByteArrayOutputStream pending = new ByteArrayOutputStream();
    };
    ResultStats stats;
    try {
      stats = engine.execute(st, chunk -> {
        if (state.out == null && state.pending.size() + chunk.byteSize() <= HOLD_BACK_BYTES) {
          writeSegment(state.pending, chunk);
          return;
        }
        if (state.out == null) {
          sendHeaders(ex, 200, queryId, st.format(), null, 0);
          state.out = ex.getResponseBody();
          state.pending.writeTo(state.out);
          state.pending.reset();
        }
        writeSegment(state.out, chunk);
      });
    } catch (EngineException e) {
      if (state.out == null) {
        respondError(ex, 500, e, queryId);
        return;
      }
      // Mid-stream failure: the 200 is gone. Write the error as ClickHouse does, then drop the
      // connection without ending the chunked body, so the client sees a broken response and
      // never reuses the socket with unread bytes in it.
      state.out.write(("\n" + e.getMessage() + "\n").getBytes(StandardCharsets.UTF_8));
      state.out.flush();
      throw new AbortConnection(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      respondError(ex, 503, new EngineException("Code: 394. DB::Exception: query was cancelled. (QUERY_WAS_CANCELLED)"),
          queryId);
      return;
    } catch (RuntimeException e) {
      LOG.warn("engine failure", e);
      if (state.out == null) {
        respondError(ex, 500, new EngineException("Code: 1001. DB::Exception: " + e + ". (STD_EXCEPTION)"), queryId);
      }
      return;
    }
    if (state.out == null) {
      byte[] data = state.pending.toByteArray();
      sendHeaders(ex, 200, queryId, st.format(), stats.toSummaryJson(stats.rowsRead(), data.length), data.length);
      try (OutputStream out = ex.getResponseBody()) {
        out.write(data);
      }
    } else {
      state.out.close();
    }
  }

  private void sendHeaders(HttpExchange ex, int status, String queryId, String format, String summary, long length)
      throws IOException {
    var h = ex.getResponseHeaders();
    h.set("X-ClickHouse-Query-Id", queryId);
    h.set("X-ClickHouse-Timezone", timezone);
    h.set("X-ClickHouse-Server-Display-Name", "lode-embedded");
    if (format != null) {
      h.set("X-ClickHouse-Format", format);
    }
    h.set("Content-Type", format != null && format.startsWith("JSON") ? "application/json; charset=UTF-8"
        : "text/plain; charset=UTF-8");
    if (summary != null) {
      h.set("X-ClickHouse-Summary", summary);
    }
    ex.sendResponseHeaders(status, length == 0 && status == 200 && summary != null ? -1 : length);
  }

  private void respondError(HttpExchange ex, int status, EngineException e, String queryId) throws IOException {
    ex.getResponseHeaders().set("X-ClickHouse-Exception-Code", Integer.toString(e.code()));
    respondText(ex, status, e.getMessage() + "\n", queryId);
  }

  private void respondText(HttpExchange ex, int status, String text, String queryId) throws IOException {
    byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
    if (queryId != null) {
      ex.getResponseHeaders().set("X-ClickHouse-Query-Id", queryId);
    }
    ex.getResponseHeaders().set("Content-Type", "text/plain; charset=UTF-8");
    ex.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = ex.getResponseBody()) {
      out.write(bytes);
    }
  }

  private boolean authenticated(HttpExchange ex, Map<String, String> params) {
    String user = ex.getRequestHeaders().getFirst("X-ClickHouse-User");
    String key = ex.getRequestHeaders().getFirst("X-ClickHouse-Key");
    String auth = ex.getRequestHeaders().getFirst("Authorization");
    if (user == null && auth != null && auth.regionMatches(true, 0, "Basic ", 0, 6)) {
      String decoded;
      try {
        decoded = new String(Base64.getDecoder().decode(auth.substring(6).trim()), StandardCharsets.UTF_8);
      } catch (IllegalArgumentException e) {
        return false;
      }
      int colon = decoded.indexOf(':');
      if (colon < 0) {
        return false;
      }
      user = decoded.substring(0, colon);
      key = decoded.substring(colon + 1);
    }
    if (user == null) {
      user = params.get("user");
      key = params.get("password");
    }
    if (user == null) {
      return false;
    }
    boolean userOk = MessageDigest.isEqual(user.getBytes(StandardCharsets.UTF_8), expectedUser);
    boolean keyOk = MessageDigest.isEqual((key == null ? "" : key).getBytes(StandardCharsets.UTF_8), expectedPassword);
    return userOk & keyOk;
  }

  private static InputStream bodyStream(HttpExchange ex) throws IOException {
    InputStream in = ex.getRequestBody();
    String encoding = ex.getRequestHeaders().getFirst("Content-Encoding");
    if (encoding != null && encoding.equalsIgnoreCase("gzip")) {
      in = new GZIPInputStream(in, 1 << 16);
    }
    return in;
  }

  private static String database(HttpExchange ex, Map<String, String> params) {
    return firstNonEmpty(ex.getRequestHeaders().getFirst("X-ClickHouse-Database"), params.get("database"), null);
  }

  /** URL parameters that are engine settings: everything but protocol parameters and {@code param_*}. */
  private static Map<String, String> settings(Map<String, String> params) {
    Map<String, String> settings = new LinkedHashMap<>();
    for (var e : params.entrySet()) {
      if (!e.getKey().startsWith("param_") && !PROTOCOL_PARAMS.contains(e.getKey())) {
        settings.put(e.getKey(), e.getValue());
      }
    }
    return settings;
  }

  private static final int HOLD_BACK_BYTES = 1 << 20;

  private static void writeSegment(OutputStream out, MemorySegment chunk) throws IOException {
    ByteBuffer bb = chunk.asByteBuffer();
    byte[] tmp = new byte[(int) Math.min(1 << 16, chunk.byteSize())];
    while (bb.hasRemaining()) {
      int n = Math.min(tmp.length, bb.remaining());
      bb.get(tmp, 0, n);
      out.write(tmp, 0, n);
    }
  }

  private static Map<String, String> parseQuery(String raw) {
    Map<String, String> out = new LinkedHashMap<>();
    if (raw == null || raw.isEmpty()) {
      return out;
    }
    for (String pair : raw.split("&")) {
      if (pair.isEmpty()) {
        continue;
      }
      int eq = pair.indexOf('=');
      String k = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
      String v = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
      out.put(k, v);
    }
    return out;
  }

  private static String firstNonEmpty(String a, String b, String fallback) {
    if (a != null && !a.isEmpty()) {
      return a;
    }
    if (b != null && !b.isEmpty()) {
      return b;
    }
    return fallback;
  }

  @Override
  public void close() {
    server.stop(0);
    workers.shutdownNow();
  }
}
