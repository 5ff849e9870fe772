package dev.lode.report;

import java.time.Instant;
import java.time.temporal.ChronoUnit;

/** One try to hand a run to one recipient (a mailbox list or a webhook), as recorded in {@code report_runs}. */
public record DeliveryAttempt(String channel, String target, int attempt, Instant at, boolean delivered, String error) {

  /** The attempt as one line of {@code report_runs.delivery_attempts}. */
  @Override
  public String toString() {
    return at.truncatedTo(ChronoUnit.MILLIS) + " " + channel + " " + target + " attempt " + attempt + ": "
        + (delivered ? "delivered" : "failed: " + error);
  }
}
