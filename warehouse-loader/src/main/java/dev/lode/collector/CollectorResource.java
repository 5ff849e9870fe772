package dev.lode.collector;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.io.InputStream;

/**
 * The collector's HTTP endpoints: Segment's {@code POST /v1/{track,page,screen,identify,
 * alias,group,batch,import}} and Sensors Data's {@code POST /sa}. Authentication is by
 * write key, so the SQL-user filter leaves these paths alone.
 */
@Path("/")
public class CollectorResource {
  private final Collector collector;

  public CollectorResource(Collector collector) {
    this.collector = collector;
  }

  @POST
  @Path("v1/{type: track|page|screen|identify|alias|group|batch|import}")
  @Consumes(MediaType.WILDCARD)
  @Produces(MediaType.APPLICATION_JSON)
  public Response segment(@PathParam("type") String type, @HeaderParam(HttpHeaders.AUTHORIZATION) String auth,
                          @HeaderParam(HttpHeaders.CONTENT_TYPE) String contentType,
                          @HeaderParam(HttpHeaders.CONTENT_ENCODING) String contentEncoding,
                          @HeaderParam(HttpHeaders.CONTENT_LENGTH) String contentLength, InputStream body) {
    return answer(collector.segment(type, auth, contentType, contentEncoding, length(contentLength), body));
  }

  @POST
  @Path("sa")
  @Consumes(MediaType.WILDCARD)
  @Produces(MediaType.APPLICATION_JSON)
  public Response sensors(@HeaderParam(HttpHeaders.AUTHORIZATION) String auth, @QueryParam("token") String token,
                          @HeaderParam(HttpHeaders.CONTENT_TYPE) String contentType,
                          @HeaderParam(HttpHeaders.CONTENT_ENCODING) String contentEncoding,
                          @HeaderParam(HttpHeaders.CONTENT_LENGTH) String contentLength, InputStream body) {
    return answer(collector.sensors(auth, token, contentType, contentEncoding, length(contentLength), body));
  }

  private static long length(String header) {
    try {
      return header == null ? -1 : Long.parseLong(header.strip());
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  private static Response answer(Collector.Outcome o) {
    Response.ResponseBuilder b = Response.status(o.status()).type(MediaType.APPLICATION_JSON_TYPE).entity(o.json());
    if (o.retryAfterSeconds() > 0) {
      b.header("Retry-After", o.retryAfterSeconds());
    }
    if (o.status() == 401) {
      b.header(HttpHeaders.WWW_AUTHENTICATE, "Basic realm=\"lode collector\"");
    }
    return b.build();
  }
}
