package dev.lode.collector.wire;

import dev.lode.collector.ReasonCode;

/** Thrown while mapping one event that must go to quarantine; the rest of its batch carries on. */
public final class RejectedEvent extends Exception {
  private static final long serialVersionUID = 1L;
  private final ReasonCode reason;

  RejectedEvent(ReasonCode reason, String detail) {
    super(detail, null, false, false);
    this.reason = reason;
  }

  public ReasonCode reason() {
    return reason;
  }
}
