package dev.lode.sql.server;

import dev.lode.config.Credentials;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.calcite.avatica.ConnectionPropertiesImpl;
import org.apache.calcite.jdbc.CalciteConnection;

/** One remote client connection: the user who opened it, its Calcite connection, its properties and statements. */
final class RemoteConnection {
  final Credentials.User user;
  final CalciteConnection calcite;
  final ConnectionPropertiesImpl props = new ConnectionPropertiesImpl();
  final Map<Integer, RemoteStatement> statements = new ConcurrentHashMap<>();
  /** Whether it was opened over HTTP Basic: then every request on it must carry its owner's credentials. */
  final boolean basic;
  volatile long lastUsed = System.nanoTime();

  RemoteConnection(Credentials.User user, CalciteConnection calcite, boolean basic) {
    this.user = user;
    this.calcite = calcite;
    this.basic = basic;
  }

  /**
   * Whether a request may use this connection: one with Basic credentials must be its owner's;
   * one without any may use only a connection that authenticated with its {@code user}/{@code
   * password} properties (the client-generated random connection id then names the session, as
   * in Druid) — a connection opened over Basic is never usable without them.
   */
  boolean usableBy(Credentials.User basicCaller) {
    return basicCaller == null ? !basic : user.name().equals(basicCaller.name());
  }
}
