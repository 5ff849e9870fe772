package dev.lode.console.session;

import dev.lode.config.Credentials;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;

/**
 * One signed-in browser: the SQL endpoint's user it acts as, the token every form it posts
 * must carry, and the statements it ran in the playground (newest first).
 */
public final class ConsoleSession {
  /** Statements the playground remembers per session. */
  static final int HISTORY = 20;

  /** One statement run in the playground, with how it ended. */
  public record Ran(String sql, Instant at, String outcome) {
  }

  private final String id;
  private final Credentials.User user;
  private final String csrf;
  private volatile long lastSeenNanos;
  private final Deque<Ran> history = new ArrayDeque<>();

  ConsoleSession(String id, Credentials.User user, String csrf, long now) {
    this.id = id;
    this.user = user;
    this.csrf = csrf;
    this.lastSeenNanos = now;
  }

  public String id() {
    return id;
  }

  public Credentials.User user() {
    return user;
  }

  /** The token every POST of this session must send as its {@code csrf} field. */
  public String csrf() {
    return csrf;
  }

  public boolean is(Credentials.Role role) {
    return user.role() == role;
  }

  long lastSeenNanos() {
    return lastSeenNanos;
  }

  void seen(long now) {
    lastSeenNanos = now;
  }

  /** Remembers a statement the playground ran. */
  public synchronized void ran(String sql, String outcome) {
    history.removeIf(r -> r.sql().equals(sql));
    history.addFirst(new Ran(sql, Instant.now(), outcome));
    while (history.size() > HISTORY) {
      history.removeLast();
    }
  }

  public synchronized List<Ran> history() {
    return List.copyOf(history);
  }
}
