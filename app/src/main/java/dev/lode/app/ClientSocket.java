package dev.lode.app;

import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import java.io.IOException;
import java.nio.channels.SelectableChannel;

/**
 * Records the socket a request came in on as the request attribute {@value #ATTRIBUTE}, for
 * {@link ClientDisconnects}; installed by the standalone server only (the socket is Jetty's).
 */
public final class ClientSocket implements Filter {
  /** Request attribute holding the client's {@link SelectableChannel}. */
  public static final String ATTRIBUTE = "lode.client-socket";

  @Override
  public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
      throws IOException, ServletException {
    var core = org.eclipse.jetty.ee10.servlet.ServletContextRequest.getServletContextRequest(request);
    if (core != null && core.getConnectionMetaData().getConnection().getEndPoint()
        instanceof org.eclipse.jetty.io.SelectableChannelEndPoint endPoint) {
      request.setAttribute(ATTRIBUTE, endPoint.getChannel());
    }
    chain.doFilter(request, response);
  }
}
