package dev.lode.collector;

/** Thrown while mapping one event that must go to quarantine; the rest of its batch carries on. */
final class RejectedEvent extends Exception {
  private static final long serialVersionUID = 1L;
  private final ReasonCode reason;

  RejectedEvent(ReasonCode reason, String detail) {
    super(detail, null, false, false);
    this.reason = reason;
  }

  ReasonCode reason() {
    return reason;
  }
}
