package dev.lode.report;

import dev.lode.config.LodeConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneId;
import java.util.Optional;

/** The {@code lode.reports.*} configuration: where definitions and outputs live, retries, the scheduler. */
public record ReportSettings(Optional<Path> definitionsDir, Path outputDir, int attempts, Duration retryDelay,
                             long timeoutSeconds, boolean schedulerEnabled, ZoneId zone, Duration poll) {

  public static ReportSettings of(LodeConfig config) {
    Optional<Path> dir = config.get("lode.reports.dir").map(d -> config.getPath("lode.reports.dir", d));
    int attempts = config.getInt("lode.reports.attempts", 3);
    if (attempts < 1 || attempts > 10) {
      throw new IllegalArgumentException("lode.reports.attempts must be 1..10, got " + attempts);
    }
    return new ReportSettings(dir, config.getPath("lode.reports.output-dir", "reports-out"), attempts,
        Duration.ofMillis(config.getInt("lode.reports.retry-delay-ms", 30_000)),
        config.getInt("lode.reports.timeout-seconds", 600),
        Boolean.parseBoolean(config.get("lode.reports.scheduler.enabled", "true")),
        ZoneId.of(config.get("lode.reports.timezone", "UTC")),
        Duration.ofMillis(config.getInt("lode.reports.scheduler.poll-ms", 1_000)));
  }

  public ReportCatalog catalog() {
    return ReportCatalog.load(definitionsDir.orElse(null));
  }

  /** A job over {@code warehouse} with these retry settings and {@code clock}. */
  public ReportJob job(ConnectionSource warehouse, java.time.Clock clock) {
    return new ReportJob(new ReportQuery(warehouse, timeoutSeconds), new ReportRunLog(warehouse), clock, attempts,
        retryDelay);
  }
}
