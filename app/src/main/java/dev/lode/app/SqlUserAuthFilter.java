package dev.lode.app;

import dev.lode.config.Credentials;
import dev.lode.config.LoginBackoff;
import dev.lode.console.Console;
import jakarta.annotation.Priority;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Optional;

/**
 * HTTP Basic authentication for every path except the collector's {@code /v1/*} and
 * {@code /sa} (which authenticate by write key) and the console's {@code /console/*} and
 * {@code GET /} (which sign in with the same users through the same back-off, by session cookie): unauthenticated requests get 401 with
 * a reason. A POST to the Avatica endpoint without any credentials passes: its connection
 * authenticates with the {@code user}/{@code password} connection properties (as Druid allows),
 * checked by the Meta against the same credentials. The authenticated user is kept as the
 * request property {@code lode.user}. Every check goes through the {@link LoginBackoff}: a user or
 * client address that failed too often is answered 429 with {@code Retry-After} until its wait is over.
 */
@Priority(Priorities.AUTHENTICATION)
public class SqlUserAuthFilter implements ContainerRequestFilter {
  /** Request property holding the authenticated {@link Credentials.User}. */
  public static final String USER = "lode.user";

  private final Credentials credentials;

  public SqlUserAuthFilter(Credentials credentials) {
    this.credentials = credentials;
  }

  @Override
  public void filter(ContainerRequestContext request) {
    String path = request.getUriInfo().getPath();
    if (path.startsWith("v1/") || path.startsWith("/v1/") || path.equals("sa") || path.startsWith("sa/")
        || path.startsWith("/sa")) {
      return; // collector endpoints check write keys themselves
    }
    if (Console.isConsolePath(path) || "GET".equals(request.getMethod()) && (path.isEmpty() || path.equals("/"))) {
      return; // the console signs its users in itself (same users, same back-off) and keeps them by session cookie
    }
    String authorization = request.getHeaderString(HttpHeaders.AUTHORIZATION);
    if (authorization == null && "POST".equals(request.getMethod()) && AvaticaResource.isEndpoint(path)) {
      return; // Avatica clients may authenticate their connection with user/password properties instead
    }
    if (authorization == null && "GET".equals(request.getMethod()) && StatusResource.isPath(path)) {
      return; // Metabase asks for the version without credentials; StatusResource then answers only that
    }
    Optional<String[]> sent = basicUser(authorization);
    if (sent.isEmpty()) {
      request.abortWith(bodyUnread(challenge()));
      return;
    }
    String[] up = sent.get();
    LoginBackoff.Attempt<Credentials.User> attempt = credentials.backoff().attempt(up[0], up[1],
        (String) request.getProperty(AnonymousBodyGate.CLIENT_ADDRESS), () -> credentials.authenticate(up[0], up[1]));
    switch (attempt) {
      case LoginBackoff.Attempt.Accepted<Credentials.User> ok -> request.setProperty(USER, ok.value());
      case LoginBackoff.Attempt.Refused<Credentials.User> wait -> request.abortWith(bodyUnread(backingOff(wait)));
      case LoginBackoff.Attempt.Rejected<Credentials.User> wrong -> request.abortWith(bodyUnread(challenge()));
    }
  }

  /**
   * {@code answer} to a request whose body is left unread, marked to close the connection: Jetty
   * cannot reuse a connection with an unread body behind a committed answer and closes it after
   * answering, and a client that was not told so sends its next request on the dead connection
   * ("header parser received no bytes" — seen on guessed logins, 200 in a row on one connection).
   */
  static Response bodyUnread(Response answer) {
    return Response.fromResponse(answer).header("Connection", "close").build();
  }

  /** The 429 answer to a login not checked because its user or address is backing off after failures. */
  static Response backingOff(LoginBackoff.Attempt.Refused<?> wait) {
    return Response.status(429).header(HttpHeaders.RETRY_AFTER, Long.toString(wait.seconds()))
        .type(MediaType.TEXT_PLAIN_TYPE)
        .entity("too many failed logins for " + wait.who() + ": retry in " + wait.seconds() + " s\n")
        .build();
  }

  /** The 401 answer that asks for Basic credentials (the Avatica driver sends them only when asked). */
  static Response challenge() {
    return Response.status(Response.Status.UNAUTHORIZED)
        .header(HttpHeaders.WWW_AUTHENTICATE, "Basic realm=\"lode\"")
        .type(MediaType.TEXT_PLAIN_TYPE)
        .entity("authentication required: send HTTP Basic credentials of a Lode user (see credentials.properties)\n")
        .build();
  }

  /** Decodes {@code Basic base64(user:password)} into {user, password}. */
  static Optional<String[]> basicUser(String header) {
    if (header == null || !header.regionMatches(true, 0, "Basic ", 0, 6)) {
      return Optional.empty();
    }
    try {
      String decoded = new String(Base64.getDecoder().decode(header.substring(6).trim()), StandardCharsets.UTF_8);
      int colon = decoded.indexOf(':');
      return colon < 0 ? Optional.empty()
          : Optional.of(new String[] {decoded.substring(0, colon), decoded.substring(colon + 1)});
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
  }
}
