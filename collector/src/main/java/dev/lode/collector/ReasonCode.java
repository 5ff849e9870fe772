package dev.lode.collector;

import java.util.Locale;

/**
 * Why the collector refused an event (quarantine {@code reason_code}) or a whole request
 * (the {@code reason} of a 4xx/5xx answer). The lower-case name is what clients and SQL see.
 */
public enum ReasonCode {
  // per-event reasons: the event goes to quarantine, the rest of the batch is kept
  SCHEMA_VIOLATION,
  INVALID_EVENT_NAME,
  WRONG_TYPE,
  MISSING_ID,
  INVALID_ID,
  INVALID_TIMESTAMP,
  TIMESTAMP_OUT_OF_TOLERANCE,
  INVALID_UTF8,
  NUL_BYTE,
  OVERSIZE_PROPERTY,
  EVENT_TOO_LARGE,
  OUT_OF_RANGE,
  TOO_DEEP,
  // per-request reasons: the whole request is answered with an error status
  EMPTY_BODY,
  MALFORMED_JSON,
  INVALID_BODY,
  INVALID_GZIP,
  BATCH_TOO_LARGE,
  UNSUPPORTED_MEDIA_TYPE,
  UNSUPPORTED_ENCODING,
  MISSING_WRITE_KEY,
  UNKNOWN_WRITE_KEY,
  TOO_MANY_FAILED_LOGINS,
  OVERLOADED,
  SPOOL_UNAVAILABLE;

  /** The code as clients and SQL see it, e.g. {@code timestamp_out_of_tolerance}. */
  public String code() {
    return name().toLowerCase(Locale.ROOT);
  }
}
