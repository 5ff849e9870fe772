package dev.lode.app;

import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Bounds how many request bodies without credentials in their headers are being read at once
 * ({@code lode.http.anonymous-requests}, default 8) and how many of those one network address
 * may have ({@code lode.http.anonymous-requests-per-address}, default 4): such a body is read
 * before anyone knows who sent it (a Segment write key or Avatica connection properties inside
 * it), and a client sending it slowly holds a server thread, so seventy of them took all the
 * threads. Past a bound the request is answered 503 with {@code Retry-After} at once, before its
 * body is read. A request holds its places only while its body is read — not while it is then
 * served — so a BI server behind one NAT address whose drivers send credentials as connection
 * properties (Metabase's) runs as many queries at once as it likes; requests with credentials
 * in the {@code Authorization} header are never held back. It also records the client's address
 * as the request attribute {@value #CLIENT_ADDRESS}, which the login back-off keys on.
 * Installed by the standalone server and by the WAR.
 */
public final class AnonymousBodyGate implements Filter {
  /** Request attribute holding the client's network address. */
  public static final String CLIENT_ADDRESS = "lode.client-address";

  private final Semaphore permits;
  private final int size;
  private final int perAddress;
  private final Map<String, Integer> reading = new ConcurrentHashMap<>();

  public AnonymousBodyGate(int permits) {
    this(permits, Math.max(1, permits / 2));
  }

  /** The gate {@code lode.http.anonymous-requests} and {@code lode.http.anonymous-requests-per-address} configure. */
  public static AnonymousBodyGate of(dev.lode.config.LodeConfig config) {
    int permits = config.getInt("lode.http.anonymous-requests", 8);
    return new AnonymousBodyGate(permits, config.getInt("lode.http.anonymous-requests-per-address",
        Math.max(1, permits / 2)));
  }

  public AnonymousBodyGate(int permits, int perAddress) {
    this.size = permits;
    this.perAddress = perAddress;
    this.permits = new Semaphore(permits);
  }

  @Override
  public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
      throws IOException, ServletException {
    HttpServletRequest http = (HttpServletRequest) request;
    String address = request.getRemoteAddr();
    request.setAttribute(CLIENT_ADDRESS, address);
    boolean hasBody = "POST".equals(http.getMethod()) || "PUT".equals(http.getMethod());
    if (!hasBody || http.getHeader("Authorization") != null) {
      chain.doFilter(request, response);
      return;
    }
    boolean[] admitted = new boolean[1];
    reading.compute(address, (k, n) -> {
      int now = n == null ? 0 : n;
      admitted[0] = now < perAddress;
      return admitted[0] ? now + 1 : (now == 0 ? null : now);
    });
    if (!admitted[0]) {
      busy(response, perAddress + " requests without credentials in the Authorization header from your address are"
          + " being read (lode.http.anonymous-requests-per-address)");
      return;
    }
    if (!permits.tryAcquire()) {
      leave(address);
      busy(response, size + " requests without credentials in the Authorization header are being read"
          + " (lode.http.anonymous-requests)");
      return;
    }
    AtomicBoolean held = new AtomicBoolean(true);
    Runnable release = () -> {
      if (held.compareAndSet(true, false)) {
        permits.release();
        leave(address);
      }
    };
    try {
      chain.doFilter(new BodyRead(http, release), response);
    } finally {
      release.run();
    }
  }

  private void leave(String address) {
    reading.computeIfPresent(address, (k, n) -> n <= 1 ? null : n - 1);
  }

  private static void busy(ServletResponse response, String why) throws IOException {
    HttpServletResponse r = (HttpServletResponse) response;
    r.setStatus(503);
    r.setHeader("Retry-After", "1");
    r.setHeader("Connection", "close");
    r.setContentType("text/plain;charset=utf-8");
    r.getOutputStream().write(("busy: " + why + "; send the credentials in that header, or retry\n")
        .getBytes(StandardCharsets.UTF_8));
  }

  /** The request, whose body stream gives the gate's places back once it has been read to its end. */
  private static final class BodyRead extends HttpServletRequestWrapper {
    private final Runnable release;
    private final long length;
    private ServletInputStream body;

    BodyRead(HttpServletRequest request, Runnable release) {
      super(request);
      this.release = release;
      this.length = request.getContentLengthLong();
      if (length == 0) {
        release.run();
      }
    }

    @Override
    public ServletInputStream getInputStream() throws IOException {
      if (body == null) {
        ServletInputStream in = super.getInputStream();
        body = new ServletInputStream() {
          private long read;

          private int counted(int n) {
            if (n < 0) {
              release.run();
            } else {
              read += n;
              if (length >= 0 && read >= length) {
                release.run();
              }
            }
            return n;
          }

          @Override
          public int read() throws IOException {
            int b = in.read();
            counted(b < 0 ? -1 : 1);
            return b;
          }

          @Override
          public int read(byte[] buffer, int offset, int len) throws IOException {
            return counted(in.read(buffer, offset, len));
          }

          @Override
          public boolean isFinished() {
            return in.isFinished();
          }

          @Override
          public boolean isReady() {
            return in.isReady();
          }

          @Override
          public void setReadListener(ReadListener listener) {
            in.setReadListener(listener);
          }
        };
      }
      return body;
    }
  }
}
