package dev.lode.console;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

/** {@code GET /}: a person who opens Lode in a browser lands on the console, not on the container's 404. */
@Path("/")
public class RootRedirect {
  @GET
  public Response root(@Context UriInfo uri) {
    return PageFrame.seeOther(uri, "");
  }
}
