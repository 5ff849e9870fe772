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
  /** The session time zone the client asked for (sqlTimeZone); UTC by default. */
  final java.time.ZoneId zone;
  volatile long lastUsed = System.nanoTime();

  RemoteConnection(Credentials.User user, CalciteConnection calcite, boolean basic, java.time.ZoneId zone) {
    this.user = user;
    this.calcite = calcite;
    this.basic = basic;
    this.zone = zone;
  }

  /** Plans or runs a statement of this connection in its session time zone. */
  <T> T inZone(java.util.concurrent.Callable<T> work) throws java.sql.SQLException {
    try {
      return dev.lode.sql.schema.SessionZone.during(zone, work);
    } catch (java.sql.SQLException | RuntimeException e) {
      throw e;
    } catch (Exception e) {
      throw new java.sql.SQLException(e.getMessage(), e);
    }
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
