package dev.lode.report;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The record of one report run, as kept in {@code report_runs}, with every delivery attempt. */
public record ReportRun(String runId, String report, String trigger, Optional<Instant> scheduledFor, Instant startedAt,
                        Optional<Instant> finishedAt, Status status, int attempts, long durationMs, long rows,
                        String error, List<String> attemptErrors, Map<String, String> parameters,
                        List<Path> outputs, List<DeliveryAttempt> deliveries) {
  /** Where a run stands. */
  public enum Status { RUNNING, SUCCEEDED, FAILED }

  /** A run without deliveries. */
  public ReportRun(String runId, String report, String trigger, Optional<Instant> scheduledFor, Instant startedAt,
                   Optional<Instant> finishedAt, Status status, int attempts, long durationMs, long rows,
                   String error, List<String> attemptErrors, Map<String, String> parameters, List<Path> outputs) {
    this(runId, report, trigger, scheduledFor, startedAt, finishedAt, status, attempts, durationMs, rows, error,
        attemptErrors, parameters, outputs, List.of());
  }

  /**
   * {@code delivered} when every recipient got the run, {@code failed} when one did not after all its
   * attempts, empty when the run was not delivered to anyone.
   */
  public String deliveryStatus() {
    if (deliveries.isEmpty()) {
      return "";
    }
    java.util.Set<String> targets = new java.util.LinkedHashSet<>();
    java.util.Set<String> delivered = new java.util.HashSet<>();
    for (DeliveryAttempt a : deliveries) {
      targets.add(a.channel() + " " + a.target());
      if (a.delivered()) {
        delivered.add(a.channel() + " " + a.target());
      }
    }
    return delivered.containsAll(targets) ? "delivered" : "failed";
  }
}
