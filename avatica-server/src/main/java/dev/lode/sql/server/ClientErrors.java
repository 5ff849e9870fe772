package dev.lode.sql.server;

import dev.lode.config.Credentials;
import java.sql.SQLException;
import java.util.function.UnaryOperator;
import org.apache.calcite.avatica.AvaticaSeverity;
import org.apache.calcite.avatica.remote.AvaticaRuntimeException;
import org.apache.calcite.avatica.remote.Service.ErrorResponse;

/**
 * Turns whatever went wrong serving a request into the Avatica error a client receives, with a
 * SQLSTATE (the JDBC client raises it as a {@link SQLException}) and a message naming what was
 * wrong: the limit that was hit, the syntax or validation error, the invalid argument, or
 * ClickHouse's own reason.
 */
final class ClientErrors {
  /** SQLSTATE of a result over {@code lode.sql.max-rows} (program limit exceeded). */
  static final String RESULT_TOO_LARGE = "54000";
  /** SQLSTATE of a statement stopped at {@code lode.sql.timeout-seconds} (query canceled). */
  static final String TIMEOUT = "57014";
  /** SQLSTATE of a fetch from a result that was dropped unfetched (invalid cursor state). */
  static final String RESULT_DROPPED = "24000";
  /** SQLSTATE of a refused statement or connection (insufficient privilege). */
  static final String REFUSED = "42501";

  private final UnaryOperator<String> redactor;

  /**
   * @param redactor applied to every error message a non-admin receives (which then carries no
   *                 cause): engine errors can quote the masked views' definitions
   */
  ClientErrors(UnaryOperator<String> redactor) {
    this.redactor = redactor;
  }

  /**
   * The error a user receives. Admins also get the chain of causes (with the generated
   * ClickHouse SQL); others get the message redacted.
   */
  RuntimeException forUser(Credentials.User user, Throwable e) {
    SecurityException refused = refusal(e);
    if (refused != null) {
      e = refused; // a refusal raised while Calcite planned arrives wrapped
    }
    if (e instanceof SecurityException se) {
      // a refused statement (read-only SQL, a role's limits)
      return new AvaticaRuntimeException(se.getMessage(), ErrorResponse.UNKNOWN_ERROR_CODE, REFUSED,
          AvaticaSeverity.ERROR);
    }
    if (Boolean.getBoolean("lode.sql.trace")) {
      e.printStackTrace();
    }
    String message = clientMessage(e);
    if (user.role() == Credentials.Role.ADMIN) {
      StringBuilder chain = new StringBuilder(message);
      for (Throwable t = e; t != null; t = t.getCause()) {
        chain.append("\n  caused by ").append(t.getClass().getSimpleName()).append(": ").append(t.getMessage());
      }
      message = chain.toString();
    } else {
      message = redactor.apply(message);
    }
    return new AvaticaRuntimeException(message, ErrorResponse.UNKNOWN_ERROR_CODE, sqlState(e), AvaticaSeverity.ERROR);
  }

  /** The refusal somewhere in {@code e}'s causes, or null. */
  static SecurityException refusal(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof SecurityException se) {
        return se;
      }
    }
    return null;
  }

  /** A metadata request's error (its message has no user data to redact). */
  static RuntimeException forMetadata(SQLException e) {
    return new AvaticaRuntimeException(clientMessage(e), ErrorResponse.UNKNOWN_ERROR_CODE, sqlState(e),
        AvaticaSeverity.ERROR);
  }

  /** The statement-timeout error a client receives for ClickHouse's {@code max_execution_time} error {@code e}. */
  static SQLException timeout(Throwable e, int timeoutSeconds) {
    return new SQLException("statement timeout: the query ran longer than lode.sql.timeout-seconds="
        + timeoutSeconds + " s and was stopped; narrow the time range or aggregate more", TIMEOUT, e);
  }

  /** The statement-bound error ({@link dev.lode.sql.schema.StatementDeadline}) somewhere in {@code e}'s causes, or null. */
  static SQLException stopped(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof SQLException se && TIMEOUT.equals(se.getSQLState())) {
        return se;
      }
    }
    return null;
  }

  static boolean isTimeout(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      String m = String.valueOf(t.getMessage());
      if (m.contains("TIMEOUT_EXCEEDED") || m.contains("Code: 159.")) {
        return true;
      }
    }
    return false;
  }

  /** The deepest meaningful message of {@code e}, without Java stack noise. */
  static String clientMessage(Throwable e) {
    if (e instanceof SQLException se && isLimit(se)) {
      return se.getMessage();
    }
    String message = e.getMessage();
    String engine = null;
    for (Throwable t = e; t != null; t = t.getCause()) {
      String m = String.valueOf(t.getMessage());
      if (t instanceof IllegalArgumentException || t instanceof SecurityException
          || t.getClass().getName().endsWith("CalciteContextException")) {
        message = m;
      } else if (t instanceof org.apache.calcite.sql.parser.SqlParseException) {
        message = "SQL syntax error: " + m.lines().findFirst().orElse(m);
      } else if (m.contains("DB::Exception:") && engine == null) {
        engine = m;
      }
    }
    if (engine != null) {
      // the engine's reason, without its query id and internal plan expressions
      String reason = engine.replaceAll("\\s*\\(queryId=.*", "")
          .replaceAll(": while executing '.*'(?=\\.\\s*\\([A-Z_]+\\))", "").trim();
      return "ClickHouse could not run the query: " + reason;
    }
    return message;
  }

  /** The SQLSTATE of an error: limits and timeouts, syntax, validation, invalid argument, else a general error. */
  static String sqlState(Throwable e) {
    String state = "HY000";
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof SQLException se && isLimit(se)) {
        return se.getSQLState();
      }
      if (t instanceof org.apache.calcite.sql.parser.SqlParseException) {
        return "42601";
      }
      if (t.getClass().getName().endsWith("CalciteContextException")) {
        state = "42000";
      } else if (t instanceof IllegalArgumentException && state.equals("HY000")) {
        state = "22023";
      }
    }
    return state;
  }

  private static boolean isLimit(SQLException se) {
    return TIMEOUT.equals(se.getSQLState()) || RESULT_TOO_LARGE.equals(se.getSQLState())
        || ResultMemory.OVER_BUDGET.equals(se.getSQLState());
  }
}
