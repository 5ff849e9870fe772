package dev.lode.console.session;

import dev.lode.config.Credentials;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * The console's signed-in sessions, kept in memory (a restart signs everyone out): an unguessable
 * id in an HttpOnly cookie names each, and a session idle longer than {@code lode.console.session-idle-minutes}
 * is gone. The user is looked up again in the credentials at every request, so a user removed
 * from credentials.properties or given another role is signed out.
 */
public final class Sessions {
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final int MAX_SESSIONS = 10_000;

  private final Map<String, ConsoleSession> open = new ConcurrentHashMap<>();
  private final long idleNanos;
  private final Credentials credentials;

  public Sessions(Credentials credentials, long idleMinutes) {
    this.credentials = credentials;
    this.idleNanos = TimeUnit.MINUTES.toNanos(idleMinutes);
  }

  /** Opens a session for {@code user}, who has just signed in. */
  public ConsoleSession open(Credentials.User user) {
    long now = System.nanoTime();
    if (open.size() >= MAX_SESSIONS) {
      open.values().removeIf(s -> now - s.lastSeenNanos() > idleNanos);
    }
    ConsoleSession s = new ConsoleSession(token(), user, token(), now);
    open.put(s.id(), s);
    return s;
  }

  /** The live session of {@code id}, if any; using it keeps it alive. */
  public Optional<ConsoleSession> find(String id) {
    if (id == null || id.isEmpty()) {
      return Optional.empty();
    }
    ConsoleSession s = open.get(id);
    long now = System.nanoTime();
    if (s == null) {
      return Optional.empty();
    }
    Credentials.User current = credentials.users().get(s.user().name());
    if (now - s.lastSeenNanos() > idleNanos || current == null || current.role() != s.user().role()
        || !current.password().equals(s.user().password())) {
      open.remove(id);
      return Optional.empty();
    }
    s.seen(now);
    return Optional.of(s);
  }

  /** Ends the session {@code id} (signing out). */
  public void close(String id) {
    if (id != null) {
      open.remove(id);
    }
  }

  /** Whether {@code sent} is the session's CSRF token (compared in constant time). */
  public static boolean csrfMatches(ConsoleSession session, String sent) {
    return sent != null && same(session.csrf(), sent);
  }

  /** Compares two tokens in time independent of where they differ. */
  public static boolean same(String a, String b) {
    return a != null && b != null
        && MessageDigest.isEqual(a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8));
  }

  /** A fresh 256-bit random token, URL-safe. */
  public static String token() {
    byte[] b = new byte[32];
    RANDOM.nextBytes(b);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
  }
}
