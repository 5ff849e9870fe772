package dev.lode.console;

import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.container.ContainerResponseFilter;

/**
 * Around every console request: starts its {@link PageTimings}, and once the answer is ready
 * closes the user's SQL connection the page opened (a page runs all its statements over one
 * connection, opened on its first statement) and adds the timings to the answer.
 */
public class RequestSql implements ContainerRequestFilter, ContainerResponseFilter {
  /** The request property holding the page's open connection. */
  static final String PROPERTY = "lode.console.sql";

  @Override
  public void filter(ContainerRequestContext request) {
    if (Console.isConsolePath(request.getUriInfo().getPath())) {
      PageTimings.begin();
    }
  }

  @Override
  public void filter(ContainerRequestContext request, ContainerResponseContext response) {
    if (request.getProperty(PROPERTY) instanceof UserSql.Connection c) {
      request.removeProperty(PROPERTY);
      long t0 = System.nanoTime();
      c.close();
      PageTimings.current().record("close", t0, null);
    }
    PageTimings t = PageTimings.end();
    if (t != null) {
      response.getHeaders().putSingle(PageTimings.HEADER, t.header());
    }
  }
}
