package dev.lode.collector;

/** One rejected event (or request part) kept with its reason: a row of the {@code quarantine} table. */
public record QuarantinedEvent(long receivedTime, String source, ReasonCode reason, String detail, String rawPayload,
                               String file, long line) {

  /** Rough heap/spool size, for memory accounting. */
  public int approxBytes() {
    return 2 * (100 + detail.length() + rawPayload.length() + file.length());
  }
}
