package dev.lode.app;

import dev.lode.collector.Collector;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;

/**
 * The collector's POST endpoints served straight from the servlet container, the same
 * {@link Collector} calls as {@link dev.lode.collector.CollectorResource} without Jersey's
 * per-request dispatch, which profiling showed costing a fifth of a tracking request's CPU.
 * Mapped to the exact collector paths; other methods get the servlet's 405.
 */
final class CollectorServlet extends HttpServlet {
  private static final long serialVersionUID = 1L;
  /** Paths this servlet is mapped to (the Segment endpoints and Sensors Data's {@code /sa}). */
  static final String[] PATHS = {"/v1/track", "/v1/page", "/v1/screen", "/v1/identify", "/v1/alias", "/v1/group",
      "/v1/batch", "/v1/import", "/sa"};

  private final transient Collector collector;

  CollectorServlet(Collector collector) {
    this.collector = collector;
  }

  @Override
  protected void doPost(HttpServletRequest req, HttpServletResponse resp) throws IOException {
    String path = req.getServletPath();
    String auth = req.getHeader("Authorization");
    String contentType = req.getHeader("Content-Type");
    String contentEncoding = req.getHeader("Content-Encoding");
    long length = req.getContentLengthLong();
    Collector.Outcome o = path.equals("/sa")
        ? collector.sensors(auth, queryParam(req.getQueryString(), "token"), contentType, contentEncoding, length,
            req.getInputStream())
        : collector.segment(path.substring("/v1/".length()), auth, contentType, contentEncoding, length,
            req.getInputStream());
    byte[] body = o.json().getBytes(StandardCharsets.UTF_8);
    resp.setStatus(o.status());
    resp.setContentType("application/json");
    resp.setContentLength(body.length);
    if (o.retryAfterSeconds() > 0) {
      resp.setHeader("Retry-After", Integer.toString(o.retryAfterSeconds()));
    }
    if (o.status() == 401) {
      resp.setHeader("WWW-Authenticate", "Basic realm=\"lode collector\"");
    }
    try (OutputStream out = resp.getOutputStream()) {
      out.write(body);
    }
  }

  /**
   * The first value of a query parameter, URL-decoded, or null; read from the query string
   * alone because {@code getParameter} would consume a form body the collector reads itself.
   */
  static String queryParam(String query, String name) {
    if (query == null) {
      return null;
    }
    for (String pair : query.split("&")) {
      int eq = pair.indexOf('=');
      try {
        String k = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
        if (k.equals(name)) {
          return eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
        }
      } catch (IllegalArgumentException malformed) {
        // a malformed escape (%zz) is no parameter: the caller then answers with what is missing
      }
    }
    return null;
  }
}
