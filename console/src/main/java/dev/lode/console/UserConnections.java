package dev.lode.console;

import dev.lode.config.Credentials;
import java.sql.SQLException;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * The console's SQL connections, kept open between a user's page views instead of opened and
 * closed by each: a connection keeps the statements its pages prepared, so a page viewed again
 * executes them without planning them again (planning was most of a page's time). Each
 * connection stays its user's and address's — the SQL endpoint checks the owner on every call —
 * and every statement is still executed, masked and audited as that user. At most
 * {@link #IDLE_PER_USER} wait per user and address, each for at most
 * {@code lode.console.connection-idle-seconds} (default 300, under the endpoint's 30 minutes);
 * one that failed is closed, never reused.
 */
public final class UserConnections implements UserSql {
  /** Idle connections kept per user and address (a second for a page opened while another renders). */
  static final int IDLE_PER_USER = 2;

  private record Owner(Credentials.User user, String client) {
  }

  private record Idle(UserSql.Connection connection, long sinceNanos) {
  }

  private final UserSql opener;
  private final long idleNanos;
  private final Map<Owner, Deque<Idle>> idle = new ConcurrentHashMap<>();

  public UserConnections(UserSql opener, int idleSeconds) {
    this.opener = opener;
    this.idleNanos = TimeUnit.SECONDS.toNanos(idleSeconds);
  }

  @Override
  public UserSql.Connection open(Credentials.User user, String client) throws SQLException {
    Owner owner = new Owner(user, client);
    closeExpired();
    Deque<Idle> waiting = idle.get(owner);
    if (waiting != null) {
      Idle i;
      synchronized (waiting) {
        i = waiting.pollFirst();
      }
      if (i != null) {
        return new Lent(owner, i.connection());
      }
    }
    if (idleNanos <= 0) {
      return opener.open(user, client);
    }
    return new Lent(owner, opener.open(user, client));
  }

  /** Closes every idle connection (the application is stopping). */
  public void close() {
    idle.values().forEach(d -> {
      synchronized (d) {
        d.forEach(i -> i.connection().close());
        d.clear();
      }
    });
  }

  /** How many connections wait for their user's next page. */
  int idleCount() {
    return idle.values().stream().mapToInt(d -> {
      synchronized (d) {
        return d.size();
      }
    }).sum();
  }

  private void closeExpired() {
    long now = System.nanoTime();
    for (Deque<Idle> d : idle.values()) {
      synchronized (d) {
        d.removeIf(i -> {
          if (now - i.sinceNanos() > idleNanos) {
            i.connection().close();
            return true;
          }
          return false;
        });
      }
    }
    idle.values().removeIf(d -> {
      synchronized (d) {
        return d.isEmpty();
      }
    });
  }

  /** A connection lent to one request: closing it hands it back, unless it failed. */
  private final class Lent implements UserSql.Connection {
    private final Owner owner;
    private final UserSql.Connection connection;
    private boolean failed;

    Lent(Owner owner, UserSql.Connection connection) {
      this.owner = owner;
      this.connection = connection;
    }

    @Override
    public SqlResult query(String sql, List<Object> parameters, int maxRows, boolean keep) throws SQLException {
      try {
        return connection.query(sql, parameters, maxRows, keep);
      } catch (SQLException | RuntimeException e) {
        // a refused or broken statement may leave the connection in any state: it is not lent again
        failed = true;
        throw e;
      }
    }

    @Override
    public void close() {
      if (failed) {
        connection.close();
        return;
      }
      Deque<Idle> d = idle.computeIfAbsent(owner, o -> new ArrayDeque<>());
      synchronized (d) {
        if (d.size() < IDLE_PER_USER) {
          d.addFirst(new Idle(connection, System.nanoTime()));
          return;
        }
      }
      connection.close();
    }
  }
}
