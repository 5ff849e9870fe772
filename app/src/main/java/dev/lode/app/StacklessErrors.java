package dev.lode.app;

import java.io.IOException;
import java.util.List;
import org.apache.calcite.avatica.remote.Handler;
import org.apache.calcite.avatica.remote.JsonService;
import org.apache.calcite.avatica.remote.ProtobufTranslation;
import org.apache.calcite.avatica.remote.Service;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Takes the Java stack traces out of the Avatica error responses clients receive (avatica-core
 * puts the server's whole stack trace into every error): they name the server's classes and
 * can quote values of a failed plan. The traces are logged here instead; the message,
 * SQLSTATE, error code and severity reach the client unchanged, and the message stands in for
 * the trace, since that is where a client shows the reason of a failed prepare.
 */
final class StacklessErrors {
  private static final Logger LOG = LoggerFactory.getLogger(StacklessErrors.class);

  private final ProtobufTranslation protobuf;
  private final java.util.function.UnaryOperator<String> redactor;

  /** @param redactor applied to a cause's message moved from a trace into the error message */
  StacklessErrors(ProtobufTranslation protobuf, java.util.function.UnaryOperator<String> redactor) {
    this.protobuf = protobuf;
    this.redactor = redactor;
  }

  /** {@code r} with any error response's stack traces removed. */
  Handler.HandlerResponse<byte[]> protobuf(Handler.HandlerResponse<byte[]> r) {
    if (r.getStatusCode() == 200) {
      return r;
    }
    try {
      if (protobuf.parseResponse(r.getResponse()) instanceof Service.ErrorResponse e && !e.exceptions.isEmpty()) {
        return new Handler.HandlerResponse<>(protobuf.serializeResponse(stackless(e)), r.getStatusCode());
      }
      return r;
    } catch (IOException | RuntimeException e) {
      return new Handler.HandlerResponse<>(new byte[0], 500);
    }
  }

  /** {@code r} with any error response's stack traces removed. */
  Handler.HandlerResponse<String> json(Handler.HandlerResponse<String> r) {
    if (r.getStatusCode() == 200) {
      return r;
    }
    try {
      if (JsonService.MAPPER.readValue(r.getResponse(), Service.Response.class) instanceof Service.ErrorResponse e
          && !e.exceptions.isEmpty()) {
        return new Handler.HandlerResponse<>(JsonService.MAPPER.writeValueAsString(stackless(e)), r.getStatusCode());
      }
      return r;
    } catch (IOException | RuntimeException e) {
      return new Handler.HandlerResponse<>("{\"response\":\"error\",\"errorMessage\":\"internal error\"}", 500);
    }
  }

  private Service.ErrorResponse stackless(Service.ErrorResponse e) {
    if (LOG.isInfoEnabled()) {
      LOG.info("SQL error sent to a client ({} {}): {}", e.sqlState, e.errorMessage, String.join("\n", e.exceptions));
    }
    String message = e.errorMessage == null ? "" : e.errorMessage;
    if (message.isEmpty() && !e.exceptions.isEmpty()) {
      // avatica-core left the message to the trace's first line ("java.lang.RuntimeException: while preparing …")
      String first = e.exceptions.get(0).split("\n", 2)[0];
      int colon = first.indexOf(": ");
      message = redactor.apply(colon > 0 ? first.substring(colon + 2) : first);
    }
    // an error avatica-core raised around Lode's (e.g. "while preparing SQL: …") has the reason only in
    // its deepest cause: that message, without frames, moves into the error message
    String reason = deepestCause(e.exceptions);
    if (reason != null && !message.contains(reason)) {
      message = message + (message.isEmpty() ? "" : ": ") + redactor.apply(reason);
    }
    // the "trace" clients keep is the reason alone, without a frame: avatica-core's client drops the
    // error message of a failed prepare ("while preparing SQL: …") and keeps only the traces
    return new Service.ErrorResponse(message.isEmpty() ? List.of() : List.of(message), message, e.errorCode,
        e.sqlState, e.severity, e.rpcMetadata);
  }

  /** The message of the deepest {@code Caused by:} of the traces, or null. */
  static String deepestCause(List<String> traces) {
    String out = null;
    for (String trace : traces) {
      for (String line : trace.split("\n")) {
        java.util.regex.Matcher m = CAUSE.matcher(line);
        if (m.matches()) {
          out = m.group(1).strip();
        }
      }
    }
    return out == null || out.isEmpty() ? null : out;
  }

  private static final java.util.regex.Pattern CAUSE = java.util.regex.Pattern.compile(
      "\\s*Caused by: [^:\\s]+: (.*?)\\r?");
}
