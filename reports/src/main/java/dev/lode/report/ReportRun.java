package dev.lode.report;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The record of one report run, as kept in {@code report_runs}. */
public record ReportRun(String runId, String report, String trigger, Optional<Instant> scheduledFor, Instant startedAt,
                        Optional<Instant> finishedAt, Status status, int attempts, long durationMs, long rows,
                        String error, List<String> attemptErrors, Map<String, String> parameters,
                        List<Path> outputs) {
  /** Where a run stands. */
  public enum Status { RUNNING, SUCCEEDED, FAILED }
}
