package dev.lode.collector.http;

import dev.lode.collector.Collector;
import dev.lode.config.LoginBackoff;
import java.io.IOException;
import java.io.InputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The collector's HTTP exchange apart from any container: which {@link Collector} call a
 * POST path is, the headers and query parameter it reads, and the status, headers and body
 * it answers with. The standalone server's servlet and the WAR's Jersey resource both hand
 * their requests to it, so the two cannot answer differently.
 */
final class CollectorHttp {
  /** The POST paths: Segment's endpoints and Sensors Data's {@code /sa}. */
  static final List<String> PATHS = List.of("/v1/track", "/v1/page", "/v1/screen", "/v1/identify", "/v1/alias",
      "/v1/group", "/v1/batch", "/v1/import", "/sa");

  /** The parts of a request the collector reads. */
  interface Request {
    /** A request header by name (case-insensitive), or null. */
    String header(String name);

    /** The query string as sent (not decoded), or null. */
    String rawQuery();

    InputStream body() throws IOException;

    /** The client's network address, which failed write keys back off by. */
    String clientAddress();
  }

  /** An answer: status, the headers to set (Content-Type included) and the JSON body. */
  record Answer(int status, Map<String, String> headers, byte[] body) {
  }

  private final Collector collector;

  CollectorHttp(Collector collector) {
    this.collector = collector;
  }

  /** Serves a POST to one of {@link #PATHS}. */
  Answer post(String path, Request r) throws IOException {
    if (!PATHS.contains(path)) {
      throw new IllegalArgumentException("not a collector path: " + path);
    }
    String basicUser = BasicAuth.user(r.header("Authorization")).orElse(null);
    String contentType = r.header("Content-Type");
    String contentEncoding = r.header("Content-Encoding");
    long length = contentLength(r.header("Content-Length"));
    String token = path.equals("/sa") ? queryParam(r.rawQuery(), "token") : null;
    String key = basicUser != null ? basicUser : token;
    LoginBackoff backoff = collector.loginBackoff();
    // the key is checked before the body is read; a client guessing keys waits before its next try is checked
    Collector.Outcome o = null;
    boolean bodyUnread = true;
    if (key != null && !key.isEmpty()) {
      LoginBackoff.Attempt<String> a = backoff.attempt(null, key, r.clientAddress(),
          () -> collector.sourceFor(key));
      if (a instanceof LoginBackoff.Attempt.Refused<String> refused) {
        o = collector.backingOff(refused.seconds(), refused.who());
      }
    } else {
      long wait = backoff.waitSeconds(null, r.clientAddress());
      if (wait > 0) {
        o = collector.backingOff(wait, "address " + r.clientAddress());
      }
    }
    if (o == null) {
      TrackedBody body = new TrackedBody(r.body());
      o = path.equals("/sa")
          ? collector.sensors(basicUser, token, contentType, contentEncoding, length, body)
          : collector.segment(path.substring("/v1/".length()), basicUser, contentType, contentEncoding, length,
              body);
      // refused before its body was read to the end (an unknown key, a media type, no capacity, too large)
      bodyUnread = !body.atEnd();
      if (o.unknownKey() && (key == null || key.isEmpty())) {
        backoff.failed(null, r.clientAddress()); // a key sent in the body, checked by the collector
      }
    }
    Map<String, String> headers = new LinkedHashMap<>();
    headers.put("Content-Type", "application/json");
    if (o.retryAfterSeconds() > 0) {
      headers.put("Retry-After", Integer.toString(o.retryAfterSeconds()));
    }
    if (o.status() == 401) {
      headers.put("WWW-Authenticate", "Basic realm=\"lode collector\"");
    }
    if (bodyUnread) {
      // the container cannot reuse a connection with an unread body behind the answer and closes
      // it; a client not told so sends its next request on the dead connection (an answer before
      // the body: a back-off, or a refusal the collector made before reading it all)
      headers.put("Connection", "close");
    }
    return new Answer(o.status(), headers, o.json().getBytes(StandardCharsets.UTF_8));
  }

  /**
   * A request body that knows whether it was read to its end: the collector's body decoder reads
   * until the stream says so (one read past an announced length), so an end not seen means a
   * refusal before the whole body was read.
   */
  static final class TrackedBody extends java.io.FilterInputStream {
    private boolean atEnd;

    TrackedBody(InputStream in) {
      super(in);
    }

    @Override
    public int read() throws IOException {
      int b = super.read();
      atEnd |= b < 0;
      return b;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      int n = super.read(b, off, len);
      atEnd |= n < 0;
      return n;
    }

    boolean atEnd() {
      return atEnd;
    }
  }

  /** The announced body length, or -1 when absent or not a number (the body is then read to its end). */
  static long contentLength(String header) {
    try {
      return header == null ? -1 : Long.parseLong(header.strip());
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  /**
   * The first value of a query parameter, URL-decoded, or null; read from the query string
   * alone because a container's parameter parsing would consume a form body the collector
   * reads itself. A malformed escape ({@code %zz}) is taken as the characters it is, as
   * Jersey does (it re-encodes the query before a resource sees it), so both containers
   * answer it alike: an unknown write key, not a server error.
   */
  static String queryParam(String query, String name) {
    if (query == null) {
      return null;
    }
    for (String pair : query.split("&")) {
      int eq = pair.indexOf('=');
      if (decode(eq < 0 ? pair : pair.substring(0, eq)).equals(name)) {
        return eq < 0 ? "" : decode(pair.substring(eq + 1));
      }
    }
    return null;
  }

  private static String decode(String s) {
    try {
      return URLDecoder.decode(s, StandardCharsets.UTF_8);
    } catch (IllegalArgumentException malformed) {
      return s;
    }
  }
}
