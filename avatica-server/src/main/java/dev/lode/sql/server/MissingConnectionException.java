package dev.lode.sql.server;

import org.apache.calcite.avatica.NoSuchConnectionException;

/**
 * Avatica's missing-connection error (the handlers answer it with error code 1, on which
 * clients with {@code transparent_reconnection} reopen the connection) with a reason a person
 * can read: the stock exception carries no message, and the client would show "null".
 */
final class MissingConnectionException extends NoSuchConnectionException {
  private static final long serialVersionUID = 1L;

  MissingConnectionException(String connectionId) {
    super(connectionId);
  }

  @Override
  public String getMessage() {
    return "connection " + getConnectionId() + " is not open on this server (closed, idle too long, or the server"
        + " restarted): open a new connection";
  }
}
