package dev.lode.collector.http;

import dev.lode.collector.Collector;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * The collector's POST endpoints served straight from the servlet container: requests go to
 * {@link CollectorHttp} as from {@link CollectorResource}, without
 * Jersey's per-request dispatch, which profiling showed costing a fifth of a tracking
 * request's CPU. Mapped to the exact collector paths; other methods get the servlet's 405.
 */
public final class CollectorServlet extends HttpServlet {
  private static final long serialVersionUID = 1L;
  /** Paths this servlet is mapped to. */
  public static final String[] PATHS = CollectorHttp.PATHS.toArray(String[]::new);

  private final transient CollectorHttp http;

  public CollectorServlet(Collector collector) {
    this.http = new CollectorHttp(collector);
  }

  @Override
  protected void doPost(HttpServletRequest req, HttpServletResponse resp) throws IOException {
    CollectorHttp.Answer a = http.post(req.getServletPath(), new CollectorHttp.Request() {
      @Override
      public String header(String name) {
        return req.getHeader(name);
      }

      @Override
      public String rawQuery() {
        return req.getQueryString();
      }

      @Override
      public InputStream body() throws IOException {
        return req.getInputStream();
      }

      @Override
      public String clientAddress() {
        return req.getRemoteAddr();
      }
    });
    resp.setStatus(a.status());
    a.headers().forEach(resp::setHeader);
    resp.setContentLength(a.body().length);
    try (OutputStream out = resp.getOutputStream()) {
      out.write(a.body());
    }
  }
}
