package dev.lode.app;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.jetty.io.Connection;

/**
 * At most {@code lode.http.max-connections-per-client} open connections from one network
 * address: a connection past it is closed as soon as it is opened, so one client cannot
 * take every connection the server accepts (Jetty's own limits count all clients together).
 */
final class ClientConnectionLimit implements Connection.Listener {
  private final int max;
  private final Map<InetAddress, AtomicInteger> open = new ConcurrentHashMap<>();
  /** The connections counted, so each is uncounted once, whether or not Jetty reports the close of one refused. */
  private final Map<Connection, InetAddress> counted = new ConcurrentHashMap<>();

  ClientConnectionLimit(int max) {
    this.max = max;
  }

  @Override
  public void onOpened(Connection connection) {
    InetAddress client = addressOf(connection);
    if (client == null) {
      return;
    }
    if (counted.putIfAbsent(connection, client) != null) {
      return; // told twice (as the connector's listener and the connection's): counted once
    }
    if (open.computeIfAbsent(client, k -> new AtomicInteger()).incrementAndGet() > max) {
      uncount(connection);
      connection.getEndPoint().close();
    }
  }

  @Override
  public void onClosed(Connection connection) {
    uncount(connection);
  }

  private void uncount(Connection connection) {
    InetAddress client = counted.remove(connection);
    if (client != null) {
      open.computeIfPresent(client, (k, n) -> n.decrementAndGet() <= 0 ? null : n);
    }
  }

  private static InetAddress addressOf(Connection connection) {
    SocketAddress a = connection.getEndPoint().getRemoteSocketAddress();
    return a instanceof InetSocketAddress inet ? inet.getAddress() : null;
  }
}
