package dev.lode.sql.server;

import dev.lode.config.Credentials;
import dev.lode.config.LoginBackoff;
import java.util.Map;
import java.util.Optional;
import org.apache.calcite.avatica.AvaticaSeverity;
import org.apache.calcite.avatica.remote.AvaticaRuntimeException;
import org.apache.calcite.avatica.remote.Service.ErrorResponse;

/**
 * Names the user a new connection belongs to: the HTTP Basic user when the request carried
 * one, else the {@code user}/{@code password} connection properties checked against the same
 * {@link Credentials} (as Druid accepts them, and as Metabase's Druid driver sends them);
 * a connection without valid credentials is refused with SQLSTATE 28000, never anonymous, and
 * one without any credentials is answered with a Basic challenge (HTTP 401). The check goes
 * through the {@link LoginBackoff} the HTTP layer uses too.
 */
final class ConnectionAuthentication {
  /** SQLSTATE of missing or wrong credentials (invalid authorization specification). */
  static final String INVALID_AUTHORIZATION = "28000";

  private final Credentials credentials;

  /** @param credentials the users connection properties are checked against, or null to accept only Basic auth */
  ConnectionAuthentication(Credentials credentials) {
    this.credentials = credentials;
  }

  Credentials.User userOf(Credentials.User basicUser, Map<String, String> info) {
    if (basicUser != null) {
      return basicUser;
    }
    String user = info == null ? null : info.get("user");
    String password = info == null ? null : info.get("password");
    Optional<Credentials.User> u = Optional.empty();
    if (credentials != null && user != null) {
      LoginBackoff.Attempt<Credentials.User> a = credentials.backoff().attempt(user, password, CallerContext.client(),
          () -> credentials.authenticate(user, password));
      if (a instanceof LoginBackoff.Attempt.Refused<Credentials.User> wait) {
        throw new AvaticaRuntimeException("too many failed logins for " + wait.who() + ": retry in " + wait.seconds()
            + " s", ErrorResponse.UNKNOWN_ERROR_CODE, INVALID_AUTHORIZATION, AvaticaSeverity.ERROR);
      }
      if (a instanceof LoginBackoff.Attempt.Accepted<Credentials.User> ok) {
        u = Optional.of(ok.value());
      }
    }
    if (u.isEmpty()) {
      if (user == null) {
        CallerContext.challenge();
      }
      throw new AvaticaRuntimeException(user == null
          ? "authentication required: send a Lode user's credentials as HTTP Basic (authentication=BASIC,"
              + " avatica_user, avatica_password) or as the connection properties user and password"
          : "authentication failed for user '" + user + "': wrong user name or password",
          ErrorResponse.UNKNOWN_ERROR_CODE, INVALID_AUTHORIZATION, AvaticaSeverity.ERROR);
    }
    return u.get();
  }
}
