package dev.lode.app;


import dev.lode.config.Credentials;
import dev.lode.sql.server.LodeMeta;
import dev.lode.sql.server.QueryAuditLog;
import dev.lode.sql.server.SqlLimits;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.nio.charset.StandardCharsets;
import org.apache.calcite.avatica.metrics.noop.NoopMetricsSystem;
import org.apache.calcite.avatica.remote.Handler;
import org.apache.calcite.avatica.remote.JsonHandler;
import org.apache.calcite.avatica.remote.LocalService;
import org.apache.calcite.avatica.remote.ProtobufHandler;
import org.apache.calcite.avatica.remote.ProtobufTranslationImpl;
import org.apache.calcite.avatica.remote.Service;

/**
 * The Avatica JDBC endpoint, {@code POST /avatica} (also {@code /druid/v2/sql/avatica/}, where
 * Metabase's Druid driver looks, and {@code /}, where phoenixdb posts by default): each request
 * body is one Avatica message, protobuf or JSON (told apart by its first byte), answered by
 * avatica-core's handlers over {@link LodeMeta}. {@link SqlUserAuthFilter} has already checked
 * the caller's Basic credentials if any were sent; without them the Meta authenticates the
 * connection by its {@code user}/{@code password} properties. Whatever is thrown while a
 * request is served becomes an Avatica error response, never the container's error page.
 */
@Path("/")
public class AvaticaResource {
  private final LodeMeta meta;
  private final ProtobufHandler protobuf;
  private final JsonHandler json;
  private final StacklessErrors stackless;
  private final ClientDisconnects disconnects = new ClientDisconnects();

  public AvaticaResource(LodeContext context) {
    SqlLimits limits = SqlLimits.from(context.config());
    var schemas = RoleSchemas.build(context, limits);
    schemas.get(dev.lode.config.Credentials.Role.ADMIN).get(0).warmUp();
    dev.lode.privacy.Pseudonym pseudonym =
        new dev.lode.privacy.Pseudonym(dev.lode.privacy.PrivacySettings.of(context.config()).salt());
    this.meta = new LodeMeta(schemas, limits, new QueryAuditLog(context.warehouse()), pseudonym::redact,
        context.credentials(), LodeVersion.get());
    LocalService service = new LocalService(meta, NoopMetricsSystem.getInstance());
    ProtobufTranslationImpl translation = new ProtobufTranslationImpl();
    this.protobuf = new ProtobufHandler(service, translation, NoopMetricsSystem.getInstance());
    this.stackless = new StacklessErrors(translation, pseudonym::redact);
    this.json = new JsonHandler(service, NoopMetricsSystem.getInstance());
    Service.RpcMetadataResponse rpc = new Service.RpcMetadataResponse("lode");
    protobuf.setRpcMetadata(rpc);
    json.setRpcMetadata(rpc);
  }

  /** The Meta, for the application's shutdown and for status figures. */
  public LodeMeta meta() {
    return meta;
  }

  /**
   * Answers one protobuf request as {@link #handle} does, for a caller already in the user's
   * {@link LodeMeta#callAs} context (the console's in-process driver).
   */
  byte[] protobuf(byte[] body) {
    try {
      return stackless.protobuf(protobuf.apply(body)).getResponse();
    } catch (RuntimeException | Error e) {
      return stackless.protobuf(protobuf.convertToErrorResponse(internalError(e))).getResponse();
    }
  }

  /** Whether {@code path} (relative, as Jersey names it) is one of this endpoint's paths. */
  static boolean isEndpoint(String path) {
    String p = path.startsWith("/") ? path.substring(1) : path;
    return p.matches("|avatica/?|avatica-protobuf/?|avatica-json/?|druid/v2/sql/avatica/?|druid/v2/sql/avatica-protobuf/?");
  }

  /** phoenixdb's default: the URL's own path, {@code /}. */
  @POST
  @Consumes(MediaType.WILDCARD)
  public Response handleRoot(byte[] body, @Context ContainerRequestContext request) {
    return handle(body, request);
  }

  @POST
  @Path("{path: avatica/?|avatica-protobuf/?|avatica-json/?|druid/v2/sql/avatica/?|druid/v2/sql/avatica-protobuf/?}")
  @Consumes(MediaType.WILDCARD)
  public Response handle(byte[] body, @Context ContainerRequestContext request) {
    // null without Basic credentials: the connection's own credentials then decide
    Credentials.User user = (Credentials.User) request.getProperty(SqlUserAuthFilter.USER);
    String client = (String) request.getProperty(AnonymousBodyGate.CLIENT_ADDRESS);
    if (body == null || body.length == 0) {
      return Response.status(Response.Status.BAD_REQUEST).type(MediaType.TEXT_PLAIN_TYPE)
          .entity("empty request: POST one Avatica message (protobuf or JSON), as the Avatica JDBC driver does\n")
          .build();
    }
    try (ClientDisconnects.Watched watched = disconnects.watch(
        (java.nio.channels.SelectableChannel) request.getProperty(ClientSocket.ATTRIBUTE))) {
      return serve(body, user, client, watched.watch());
    }
  }

  private Response serve(byte[] body, Credentials.User user, String client, dev.lode.sql.server.RequestWatch watch) {
    if (isJson(body)) {
      Handler.HandlerResponse<String> r = LodeMeta.callAs(user, client, watch, () -> {
        try {
          return stackless.json(json.apply(new String(body, StandardCharsets.UTF_8)));
        } catch (RuntimeException | Error e) {
          return stackless.json(json.convertToErrorResponse(internalError(e)));
        }
      });
      if (user == null && LodeMeta.credentialsRequired()) {
        return SqlUserAuthFilter.challenge();
      }
      return Response.status(r.getStatusCode()).type(MediaType.APPLICATION_JSON_TYPE.withCharset("UTF-8"))
          .entity(r.getResponse()).build();
    }
    Handler.HandlerResponse<byte[]> r = LodeMeta.callAs(user, client, watch, () -> {
      try {
        return stackless.protobuf(protobuf.apply(body));
      } catch (RuntimeException | Error e) {
        return stackless.protobuf(protobuf.convertToErrorResponse(internalError(e)));
      }
    });
    if (user == null && LodeMeta.credentialsRequired()) {
      return SqlUserAuthFilter.challenge();
    }
    return Response.status(r.getStatusCode()).type(MediaType.APPLICATION_OCTET_STREAM_TYPE).entity(r.getResponse())
        .build();
  }

  /**
   * What the handlers let through (they catch Exceptions only: a parser's StackOverflowError or
   * a planner's AssertionError would otherwise reach the container as an HTML error page).
   */
  private static org.apache.calcite.avatica.remote.AvaticaRuntimeException internalError(Throwable e) {
    String reason = e instanceof StackOverflowError ? "the statement is nested too deeply to be parsed"
        : e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
    return new org.apache.calcite.avatica.remote.AvaticaRuntimeException("internal error while serving the request: "
        + reason, Service.ErrorResponse.UNKNOWN_ERROR_CODE, "HY000", org.apache.calcite.avatica.AvaticaSeverity.ERROR);
  }

  private static boolean isJson(byte[] body) {
    for (byte b : body) {
      if (b == ' ' || b == '\n' || b == '\r' || b == '\t') {
        continue;
      }
      return b == '{';
    }
    return false;
  }
}
