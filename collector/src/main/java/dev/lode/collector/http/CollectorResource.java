package dev.lode.collector.http;

import dev.lode.collector.Collector;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.io.IOException;
import java.io.InputStream;

/**
 * The collector's HTTP endpoints in Jakarta REST (the WAR serves them this way):
 * Segment's {@code POST /v1/{track,page,screen,identify,alias,group,batch,import}} and
 * Sensors Data's {@code POST /sa}, handed to {@link CollectorHttp} as the standalone
 * server's servlet hands them. Authentication is by write key, so the SQL-user filter
 * leaves these paths alone.
 */
@Path("/")
public class CollectorResource {
  private final CollectorHttp http;

  public CollectorResource(Collector collector) {
    this.http = new CollectorHttp(collector);
  }

  @POST
  @Path("v1/{type: track|page|screen|identify|alias|group|batch|import}")
  @Consumes(MediaType.WILDCARD)
  @Produces(MediaType.APPLICATION_JSON)
  public Response segment(@PathParam("type") String type, @Context HttpHeaders headers, @Context UriInfo uri,
                          @Context HttpServletRequest servlet, InputStream body) throws IOException {
    return answer(http.post("/v1/" + type, request(headers, uri, servlet, body)));
  }

  @POST
  @Path("sa")
  @Consumes(MediaType.WILDCARD)
  @Produces(MediaType.APPLICATION_JSON)
  public Response sensors(@Context HttpHeaders headers, @Context UriInfo uri, @Context HttpServletRequest servlet,
                          InputStream body) throws IOException {
    return answer(http.post("/sa", request(headers, uri, servlet, body)));
  }

  private static CollectorHttp.Request request(HttpHeaders headers, UriInfo uri, HttpServletRequest servlet,
                                               InputStream body) {
    return new CollectorHttp.Request() {
      @Override
      public String header(String name) {
        return headers.getHeaderString(name);
      }

      @Override
      public String rawQuery() {
        return uri.getRequestUri().getRawQuery();
      }

      @Override
      public InputStream body() {
        return body;
      }

      @Override
      public String clientAddress() {
        return servlet == null ? null : servlet.getRemoteAddr();
      }
    };
  }

  private static Response answer(CollectorHttp.Answer a) {
    Response.ResponseBuilder b = Response.status(a.status()).entity(a.body());
    a.headers().forEach(b::header);
    return b.build();
  }
}
