package dev.lode.sql.server;

import dev.lode.config.Credentials;
import dev.lode.sql.schema.LodeSchemaFactory;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.apache.calcite.jdbc.CalciteConnection;

/**
 * The open remote connections, each owned by the user who opened it: a connection is a
 * Calcite connection over the schemas of that user's role (chosen here, never by the
 * client, whose properties must pass {@link ClientProperties}); only its owner may use it,
 * one user may hold at most {@code lode.sql.connections-per-user} at once, and one abandoned
 * for 30 minutes is closed.
 */
final class ConnectionRegistry {
  private final Map<Credentials.Role, List<LodeSchemaFactory>> schemas;
  private final StatementRegistry statements;
  private final Map<String, RemoteConnection> connections = new ConcurrentHashMap<>();

  /** SQLSTATE of a connection refused because its user holds too many (too many connections). */
  static final String TOO_MANY_CONNECTIONS = "53300";

  private final int perUser;

  ConnectionRegistry(Map<Credentials.Role, List<LodeSchemaFactory>> schemas, StatementRegistry statements,
                     int perUser) {
    this.schemas = Map.copyOf(schemas);
    this.statements = statements;
    this.perUser = perUser;
  }

  void open(String id, Map<String, String> info, Credentials.User user, boolean basic) {
    List<LodeSchemaFactory> mine = schemas.get(user.role());
    if (mine == null || mine.isEmpty()) {
      throw new SecurityException("user '" + user.name() + "' (role " + user.role().name().toLowerCase(Locale.ROOT)
          + ") may not use SQL");
    }
    String start = ClientSchema.choose(schemaOf(info), mine.stream().map(LodeSchemaFactory::name).toList());
    closeIdle();
    // counted per authenticated user, never per address: a BI server behind one NAT address
    // opens many connections for many people, each under its own Lode user or a shared one
    long mineOpen = connections.values().stream().filter(c -> c.user.name().equals(user.name())).count();
    if (mineOpen >= perUser) {
      throw new org.apache.calcite.avatica.remote.AvaticaRuntimeException("too many connections: user '"
          + user.name() + "' holds " + mineOpen + " open SQL connections (lode.sql.connections-per-user=" + perUser
          + "); close the ones you no longer use (abandoned ones close after 30 minutes)",
          org.apache.calcite.avatica.remote.Service.ErrorResponse.UNKNOWN_ERROR_CODE, TOO_MANY_CONNECTIONS,
          org.apache.calcite.avatica.AvaticaSeverity.ERROR);
    }
    try {
      Connection c = new org.apache.calcite.jdbc.Driver().connect("jdbc:calcite:", ClientDialect.calciteProperties());
      CalciteConnection calcite = c.unwrap(CalciteConnection.class);
      // the role decides the schemas; the client's properties never reach this choice
      for (LodeSchemaFactory f : mine) {
        f.addTo(calcite.getRootSchema());
      }
      calcite.setSchema(start);
      RemoteConnection previous = connections.putIfAbsent(id, new RemoteConnection(user, calcite, basic,
          ClientProperties.sessionZone(info)));
      if (previous != null) {
        calcite.close();
        throw new IllegalStateException("connection " + id + " is already open");
      }
    } catch (SQLException e) {
      throw new IllegalStateException("cannot open a SQL connection: " + e.getMessage(), e);
    }
  }

  private static String schemaOf(Map<String, String> info) {
    if (info == null) {
      return null;
    }
    return info.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase("schema")).map(Map.Entry::getValue)
        .findFirst().orElse(null);
  }

  /** The caller's connection {@code id}. */
  RemoteConnection get(String id, Credentials.User caller) {
    RemoteConnection c = connections.get(id);
    if (c == null) {
      // thrown as itself, so the client gets Avatica's missing-connection error code and can reconnect
      throw new MissingConnectionException(id);
    }
    if (caller == null && c.basic) {
      // the driver sends Basic credentials only when challenged: ask for them again
      CallerContext.challenge();
      throw new SecurityException("authentication required for connection " + id);
    }
    if (!c.usableBy(caller)) {
      // a connection id is not a credential: only its owner may use it
      throw new SecurityException("connection " + id + " belongs to another user");
    }
    c.lastUsed = System.nanoTime();
    return c;
  }

  /** Connection {@code id} if it is the caller's, else null (closing someone else's is a no-op). */
  RemoteConnection find(String id, Credentials.User caller) {
    RemoteConnection c = connections.get(id);
    return c != null && c.usableBy(caller) ? c : null;
  }

  void close(String id, Credentials.User caller) {
    RemoteConnection c = find(id, caller);
    if (c != null) {
      connections.remove(id);
      close(c);
    }
  }

  /** Closes connections a client abandoned (no request for 30 minutes). */
  private void closeIdle() {
    long cutoff = System.nanoTime() - TimeUnit.MINUTES.toNanos(30);
    connections.entrySet().removeIf(e -> {
      if (e.getValue().lastUsed < cutoff) {
        close(e.getValue());
        return true;
      }
      return false;
    });
  }

  private void close(RemoteConnection c) {
    c.statements.values().forEach(statements::close);
    try {
      c.calcite.close();
    } catch (SQLException ignored) {
      // the connection is gone either way
    }
  }

  /** Drops the results nobody fetched for {@code idleSeconds} ({@link StatementRegistry#expireIfIdle}). */
  void expireIdleResults(int idleSeconds) {
    long idle = TimeUnit.SECONDS.toNanos(idleSeconds);
    for (RemoteConnection c : connections.values()) {
      for (RemoteStatement s : c.statements.values()) {
        statements.expireIfIdle(s, idle, idleSeconds);
      }
    }
  }

  int size() {
    return connections.size();
  }

  void closeAll() {
    connections.values().forEach(this::close);
    connections.clear();
  }
}
