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
 * SQLSTATE, error code and severity reach the client unchanged.
 */
final class StacklessErrors {
  private static final Logger LOG = LoggerFactory.getLogger(StacklessErrors.class);

  private final ProtobufTranslation protobuf;

  StacklessErrors(ProtobufTranslation protobuf) {
    this.protobuf = protobuf;
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

  private static Service.ErrorResponse stackless(Service.ErrorResponse e) {
    if (LOG.isInfoEnabled()) {
      LOG.info("SQL error sent to a client ({} {}): {}", e.sqlState, e.errorMessage, String.join("\n", e.exceptions));
    }
    return new Service.ErrorResponse(List.of(), e.errorMessage, e.errorCode, e.sqlState, e.severity, e.rpcMetadata);
  }
}
