package dev.lode.collector;

/** A request the collector refuses as a whole: the HTTP status and the reason code to answer with. */
public final class CollectorException extends RuntimeException {
  private static final long serialVersionUID = 1L;
  private final int status;
  private final ReasonCode reason;

  public CollectorException(int status, ReasonCode reason, String message) {
    super(message);
    this.status = status;
    this.reason = reason;
  }

  public int status() {
    return status;
  }

  public ReasonCode reason() {
    return reason;
  }
}
