package dev.lode.console;

import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.container.ContainerResponseFilter;

/**
 * Closes the user's SQL connection a console page opened for its request (a page runs all its
 * statements over one connection, opened on its first statement), once the answer is ready.
 */
public class RequestSql implements ContainerResponseFilter {
  /** The request property holding the page's open connection. */
  static final String PROPERTY = "lode.console.sql";

  @Override
  public void filter(ContainerRequestContext request, ContainerResponseContext response) {
    if (request.getProperty(PROPERTY) instanceof UserSql.Connection c) {
      request.removeProperty(PROPERTY);
      c.close();
    }
  }
}
