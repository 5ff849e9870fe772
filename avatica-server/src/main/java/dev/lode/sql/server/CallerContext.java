package dev.lode.sql.server;

import dev.lode.config.Credentials;
import java.util.function.Supplier;

/**
 * The user the HTTP request being served authenticated as with Basic credentials, as every
 * Meta method it reaches sees it; none when the client authenticates with connection
 * properties instead (Metabase's Druid driver), and the connection then names its owner.
 */
final class CallerContext {
  private static final ThreadLocal<Credentials.User> CALLER = new ThreadLocal<>();
  private static final ThreadLocal<Boolean> CHALLENGE = ThreadLocal.withInitial(() -> false);
  private static final ThreadLocal<String> CLIENT = new ThreadLocal<>();
  private static final ThreadLocal<RequestWatch> WATCH = new ThreadLocal<>();

  private CallerContext() {
  }

  static <T> T callAs(Credentials.User user, String client, RequestWatch watch, Supplier<T> action) {
    Credentials.User previous = CALLER.get();
    String previousClient = CLIENT.get();
    RequestWatch previousWatch = WATCH.get();
    CALLER.set(user);
    CLIENT.set(client);
    WATCH.set(watch);
    CHALLENGE.set(false);
    try {
      return action.get();
    } finally {
      CLIENT.set(previousClient);
      WATCH.set(previousWatch);
      if (previous == null) {
        CALLER.remove();
      } else {
        CALLER.set(previous);
      }
    }
  }

  /**
   * Marks the request as one to answer with an HTTP Basic challenge: the Avatica driver sends
   * its Basic credentials only after a 401 asks for them.
   */
  static void challenge() {
    CHALLENGE.set(true);
  }

  /** Whether the last request served on this thread asked for a challenge. */
  static boolean challenged() {
    return CHALLENGE.get();
  }

  /** The network address of the client being served, or null when the HTTP layer did not name it. */
  static String client() {
    return CLIENT.get();
  }

  /** What the HTTP layer watches of the request being served, or null when it watches nothing. */
  static RequestWatch watch() {
    return WATCH.get();
  }

  /** The Basic-authenticated caller, or null when the request carried no credentials. */
  static Credentials.User basicUser() {
    return CALLER.get();
  }
}
