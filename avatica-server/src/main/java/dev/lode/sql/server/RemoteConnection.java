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
  volatile long lastUsed = System.nanoTime();

  RemoteConnection(Credentials.User user, CalciteConnection calcite) {
    this.user = user;
    this.calcite = calcite;
  }

  /**
   * Whether a request may use this connection: one with Basic credentials must be its owner's;
   * one without any is the owner's session (the client-generated random connection id names
   * it, as in Druid, whose Avatica clients authenticate once with connection properties).
   */
  boolean usableBy(Credentials.User basicCaller) {
    return basicCaller == null || user.name().equals(basicCaller.name());
  }
}
