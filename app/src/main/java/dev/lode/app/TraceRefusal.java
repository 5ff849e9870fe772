package dev.lode.app;

import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/**
 * Refuses {@code TRACE} on every path with 405: a servlet answers it by echoing the request,
 * {@code Authorization} header included, which a cross-site script could then read.
 */
public final class TraceRefusal implements Filter {
  @Override
  public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
      throws IOException, ServletException {
    if (request instanceof HttpServletRequest http && "TRACE".equalsIgnoreCase(http.getMethod())
        && response instanceof HttpServletResponse out) {
      out.setHeader("Allow", "GET, HEAD, POST, OPTIONS");
      out.setContentType("text/plain;charset=UTF-8");
      out.setStatus(HttpServletResponse.SC_METHOD_NOT_ALLOWED);
      out.getWriter().write("TRACE is not allowed\n");
      return;
    }
    chain.doFilter(request, response);
  }
}
