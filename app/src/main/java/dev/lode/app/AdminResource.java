package dev.lode.app;

import dev.lode.config.Credentials;
import dev.lode.erasure.Erasure;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.Map;

/**
 * The admin API: {@code POST /admin/forget} with {@code {"id": "<any id of the person>"}}
 * erases the person everywhere and answers with what was deleted (no PII); with
 * {@code "dryRun": true} it answers what would be deleted and erases nothing. Admins only.
 */
@Path("/admin")
public class AdminResource {
  private final LodeContext context;

  public AdminResource(LodeContext context) {
    this.context = context;
  }

  /** The request body of {@code POST /admin/forget}. */
  public record ForgetRequest(String id, Boolean dryRun) {
  }

  @POST
  @Path("forget")
  @Consumes(MediaType.APPLICATION_JSON)
  @Produces(MediaType.APPLICATION_JSON)
  public Response forget(ForgetRequest request, @Context ContainerRequestContext http) {
    Credentials.User user = (Credentials.User) http.getProperty(SqlUserAuthFilter.USER);
    if (user == null || user.role() != Credentials.Role.ADMIN) {
      return Response.status(Response.Status.FORBIDDEN).type(MediaType.APPLICATION_JSON_TYPE)
          .entity(Map.of("error", "only admins may erase persons")).build();
    }
    if (request == null || request.id() == null || request.id().isBlank()) {
      return Response.status(Response.Status.BAD_REQUEST).type(MediaType.APPLICATION_JSON_TYPE)
          .entity(Map.of("error", "send {\"id\": \"<any id of the person>\"}")).build();
    }
    try {
      if (Boolean.TRUE.equals(request.dryRun())) {
        return Response.ok(PrivacyAdmin.erasure(context.config(), context.warehouse()).preview(request.id())).build();
      }
      Erasure.Report r = PrivacyAdmin.erasure(context.config(), context.warehouse()).forget(request.id(), user.name());
      return Response.status(r.complete() ? 200 : 500).entity(r).build();
    } catch (Erasure.NobodyMatches e) {
      return Response.status(Response.Status.NOT_FOUND).type(MediaType.APPLICATION_JSON_TYPE)
          .entity(Map.of("error", e.getMessage())).build();
    } catch (IllegalArgumentException e) {
      return Response.status(Response.Status.BAD_REQUEST).type(MediaType.APPLICATION_JSON_TYPE)
          .entity(Map.of("error", e.getMessage())).build();
    }
  }
}
