package dev.lode.sql.server;

import dev.lode.config.Credentials;
import java.util.function.Supplier;

/** The authenticated user of the HTTP request being served, as every Meta method it reaches sees it. */
final class CallerContext {
  private static final ThreadLocal<Credentials.User> CALLER = new ThreadLocal<>();

  private CallerContext() {
  }

  static <T> T callAs(Credentials.User user, Supplier<T> action) {
    Credentials.User previous = CALLER.get();
    CALLER.set(user);
    try {
      return action.get();
    } finally {
      if (previous == null) {
        CALLER.remove();
      } else {
        CALLER.set(previous);
      }
    }
  }

  /** The caller; throws when the request was not authenticated. */
  static Credentials.User caller() {
    Credentials.User u = CALLER.get();
    if (u == null) {
      throw new SecurityException("not authenticated");
    }
    return u;
  }
}
