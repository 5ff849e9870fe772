package dev.lode.console.session;

import dev.lode.config.Credentials;
import dev.lode.config.LoginBackoff;
import dev.lode.console.Console;
import dev.lode.console.PageFrame;
import jakarta.ws.rs.CookieParam;
import jakarta.ws.rs.FormParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.NewCookie;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.util.Map;

/**
 * Signing in and out: the same users, passwords and roles as the SQL endpoint, checked through
 * the same {@link LoginBackoff} (so failures in the console and over JDBC count together and a
 * locked-out user waits in both). A successful sign-in sets an HttpOnly, SameSite=Strict session
 * cookie; the sign-in form itself carries a token bound to a cookie of its own, so another site
 * cannot sign a browser in as someone else.
 */
@Path(Console.PATH)
public class SignInResource {
  /** The cookie holding the sign-in form's token. */
  static final String LOGIN_COOKIE = "lode_console_login";

  private final PageFrame frame;

  public SignInResource(PageFrame frame) {
    this.frame = frame;
  }

  @GET
  public Response home(@CookieParam(PageFrame.COOKIE) String cookie, @Context UriInfo uri) {
    return PageFrame.seeOther(uri, frame.sessions().find(cookie).isPresent() ? "health" : "login");
  }

  @GET
  @Path("login")
  public Response form(@CookieParam(PageFrame.COOKIE) String cookie, @Context UriInfo uri) {
    if (frame.sessions().find(cookie).isPresent()) {
      return PageFrame.seeOther(uri, "health");
    }
    return loginPage(200, "", "", uri);
  }

  @POST
  @Path("login")
  public Response signIn(@FormParam("user") String user, @FormParam("password") String password,
                         @FormParam("token") String token, @CookieParam(LOGIN_COOKIE) String expected,
                         @Context ContainerRequestContext request, @Context UriInfo uri) {
    if (!Sessions.same(expected, token)) {
      return loginPage(403, "the sign-in form expired: sign in again", user, uri);
    }
    if (user == null || user.isBlank() || password == null) {
      return loginPage(400, "enter a user name and a password", user, uri);
    }
    Credentials credentials = frame.services().credentials();
    LoginBackoff.Attempt<Credentials.User> attempt = credentials.backoff().attempt(user, password,
        PageFrame.client(request), () -> credentials.authenticate(user, password));
    return switch (attempt) {
      case LoginBackoff.Attempt.Accepted<Credentials.User> ok -> {
        ConsoleSession s = frame.sessions().open(ok.value());
        yield PageFrame.secured(Response.seeOther(uri.getBaseUriBuilder().path(Console.PATH).path("health").build()))
            .cookie(cookie(PageFrame.COOKIE, s.id(), uri, request, -1), cookie(LOGIN_COOKIE, "", uri, request, 0))
            .build();
      }
      case LoginBackoff.Attempt.Refused<Credentials.User> wait -> PageFrame.secured(Response.fromResponse(
          loginPage(429, "too many failed sign-ins for " + wait.who() + ": try again in " + wait.seconds() + " s",
              user, uri))).header("Retry-After", Long.toString(wait.seconds())).build();
      case LoginBackoff.Attempt.Rejected<Credentials.User> wrong ->
          loginPage(401, "wrong user name or password", user, uri);
    };
  }

  @POST
  @Path("logout")
  public Response signOut(@CookieParam(PageFrame.COOKIE) String cookie, @FormParam("csrf") String csrf,
                          @Context ContainerRequestContext request, @Context UriInfo uri) {
    ConsoleSession s = frame.signedIn(cookie, uri);
    if (!Sessions.csrfMatches(s, csrf)) {
      return frame.page(403, "refused", s, uri, Map.of("reason", "the sign-out form's CSRF token is missing or stale"));
    }
    frame.sessions().close(s.id());
    return PageFrame.secured(Response.seeOther(uri.getBaseUriBuilder().path(Console.PATH).path("login").build()))
        .cookie(cookie(PageFrame.COOKIE, "", uri, request, 0)).build();
  }

  private Response loginPage(int status, String error, String user, UriInfo uri) {
    String token = Sessions.token();
    Response page = frame.page(status, "login", null, uri, Map.of("error", error, "name", user == null ? "" : user,
        "token", token));
    return Response.fromResponse(page).cookie(cookie(LOGIN_COOKIE, token, uri, null, -1)).build();
  }

  /** An HttpOnly, SameSite=Strict cookie for the console's path; Secure when the request came over HTTPS. */
  private static NewCookie cookie(String name, String value, UriInfo uri, ContainerRequestContext request, int maxAge) {
    boolean https = "https".equalsIgnoreCase(uri.getRequestUri().getScheme());
    return new NewCookie.Builder(name).value(value).path(PageFrame.base(uri) + Console.PATH).httpOnly(true)
        .secure(https).sameSite(NewCookie.SameSite.STRICT).maxAge(maxAge).build();
  }
}
