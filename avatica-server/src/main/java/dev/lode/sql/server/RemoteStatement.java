package dev.lode.sql.server;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.List;
import org.apache.calcite.avatica.Meta;

/** One remote statement: its JDBC statement on the Calcite connection, the result being fetched, the statement being audited. */
final class RemoteStatement {
  final RemoteConnection owner;
  Statement statement;
  PreparedStatement prepared;
  String sql;
  Meta.Signature signature;
  ResultSet resultSet;
  /** The result, read in full when the statement ran; frames are served from it. */
  List<Object> rows;
  long rowsSent;
  /** The rows of the result past the memory budgets, on disk; null while it fits on the heap. */
  ResultSpill spill;
  /** What the held result takes on the heap, as {@link ResultMemory} estimated it. */
  long heldBytes;
  /** What its spilled rows took on the heap, as estimated, counted against the user's disk budget. */
  long spilledBytes;
  /** When a frame of the held result was last served (or it was read), for the idle expiry. */
  volatile long lastFetched;
  /** Why the held result was dropped before the client fetched it all, or null. */
  volatile String dropped;
  /** When the statement running now must stop, or that it was cancelled; every step of it looks at this. */
  volatile dev.lode.sql.schema.StatementDeadline bound = new dev.lode.sql.schema.StatementDeadline(Integer.MAX_VALUE / 2);
  /** The statement being audited: set when it starts, cleared when its audit entry is written. */
  String auditSql;
  Instant auditStart;
  String auditId;

  RemoteStatement(RemoteConnection owner) {
    this.owner = owner;
  }

  /** Closes the JDBC objects, best effort. */
  void closeJdbc() {
    rows = null;
    if (spill != null) {
      spill.close();
      spill = null;
    }
    try {
      if (resultSet != null) {
        resultSet.close();
      }
      if (statement != null) {
        statement.close();
      }
      if (prepared != null) {
        prepared.close();
      }
    } catch (SQLException ignored) {
      // closing is best effort
    }
  }
}
