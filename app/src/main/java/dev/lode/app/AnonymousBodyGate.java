package dev.lode.app;

import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Semaphore;

/**
 * Bounds how many request bodies without credentials in their headers are read at once
 * ({@code lode.http.anonymous-requests}, default 8): such a body is read before anyone knows
 * who sent it (a Segment write key or Avatica connection properties inside it), and a client
 * sending it slowly holds a server thread, so seventy of them took all the threads. Past the
 * bound the request is answered 503 with {@code Retry-After} at once, before its body is read;
 * requests that send credentials in the {@code Authorization} header are never held back. It
 * also records the client's address as the request attribute {@value #CLIENT_ADDRESS}, which
 * the login back-off keys on. Installed by the standalone server and by the WAR.
 */
public final class AnonymousBodyGate implements Filter {
  /** Request attribute holding the client's network address. */
  public static final String CLIENT_ADDRESS = "lode.client-address";

  private final Semaphore permits;
  private final int size;

  public AnonymousBodyGate(int permits) {
    this.size = permits;
    this.permits = new Semaphore(permits);
  }

  @Override
  public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
      throws IOException, ServletException {
    HttpServletRequest http = (HttpServletRequest) request;
    request.setAttribute(CLIENT_ADDRESS, request.getRemoteAddr());
    boolean hasBody = "POST".equals(http.getMethod()) || "PUT".equals(http.getMethod());
    if (!hasBody || http.getHeader("Authorization") != null) {
      chain.doFilter(request, response);
      return;
    }
    if (!permits.tryAcquire()) {
      HttpServletResponse r = (HttpServletResponse) response;
      r.setStatus(503);
      r.setHeader("Retry-After", "1");
      r.setHeader("Connection", "close");
      r.setContentType("text/plain;charset=utf-8");
      r.getOutputStream().write(("busy: " + size + " requests without credentials in the Authorization header are"
          + " being read (lode.http.anonymous-requests); send the credentials in that header, or retry\n")
          .getBytes(StandardCharsets.UTF_8));
      return;
    }
    try {
      chain.doFilter(request, response);
    } finally {
      permits.release();
    }
  }
}
