package dev.lode.report;

import dev.lode.schedule.JobScheduler;
import dev.lode.schedule.ScheduledJob;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs reports on their cron schedules inside the server. A job of the server's
 * {@link JobScheduler} checks the (injectable) clock every poll interval and runs each report whose next cron time has
 * come, one at a time. Cron times missed while the server was down are not caught up;
 * several times passed in one check (a paused clock) run once, for the latest.
 */
public final class ReportScheduler implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ReportScheduler.class);

  private final ReportCatalog catalog;
  private final ReportJob job;
  private final Clock clock;
  private final ZoneId zone;
  private final Path outputDir;
  private final Duration poll;
  private final Map<String, ZonedDateTime> nextFire = new HashMap<>();
  private volatile ScheduledJob clockCheck;
  private volatile boolean stopping;

  public ReportScheduler(ReportCatalog catalog, ReportJob job, ZoneId zone, Path outputDir, Duration poll) {
    this.catalog = catalog;
    this.job = job;
    this.clock = job.clock();
    this.zone = zone;
    this.outputDir = outputDir;
    this.poll = poll;
    ZonedDateTime now = ZonedDateTime.ofInstant(clock.instant(), zone);
    for (ReportDefinition d : catalog.all()) {
      d.schedule().ifPresent(s -> nextFire.put(d.name(), s.next(now)));
    }
  }

  /** Starts checking the clock every poll interval, as a job of {@code jobs}. */
  public synchronized ReportScheduler start(JobScheduler jobs) {
    if (clockCheck == null) {
      clockCheck = jobs.everyDelay("reports", Duration.ZERO, poll, "the reports due are checked again at the next poll",
          () -> {
            List<ReportRun> ran = tick();
            return ran.isEmpty() ? "" : ran.size() + " report(s) run";
          });
      nextFire.forEach((name, at) -> LOG.info("report {} scheduled, next run {}", name, at));
    }
    return this;
  }

  /** Runs every report whose next cron time is at or before the clock's now; returns the runs. */
  public synchronized List<ReportRun> tick() {
    Instant now = clock.instant();
    List<ReportRun> ran = new java.util.ArrayList<>();
    for (ReportDefinition d : catalog.all()) {
      ZonedDateTime due = nextFire.get(d.name());
      if (due == null || due.toInstant().isAfter(now) || stopping) {
        continue;
      }
      ZonedDateTime nowZoned = ZonedDateTime.ofInstant(now, zone);
      ZonedDateTime latest = due;
      for (ZonedDateTime n = d.schedule().orElseThrow().next(due); !n.isAfter(nowZoned);
           n = d.schedule().orElseThrow().next(n)) {
        latest = n;
      }
      if (!latest.equals(due)) {
        LOG.warn("report {}: cron times {} .. {} passed in one check; running once for {}", d.name(), due, latest, latest);
      }
      ReportRun run = job.run(d, Map.of(), d.formats(), outputDir, "schedule", Optional.of(latest.toInstant()));
      if (run.status() == ReportRun.Status.FAILED) {
        LOG.error("report {} failed after {} attempt(s): {}", d.name(), run.attempts(), run.error());
      } else {
        LOG.info("report {} wrote {} rows to {}", d.name(), run.rows(), run.outputs());
      }
      nextFire.put(d.name(), d.schedule().orElseThrow().next(latest));
      ran.add(run);
    }
    return ran;
  }

  /** The next cron time of {@code report}, if it is scheduled. */
  public synchronized Optional<ZonedDateTime> nextRun(String report) {
    return Optional.ofNullable(nextFire.get(report));
  }

  @Override
  public void close() {
    stopping = true;
    ScheduledJob j = clockCheck;
    if (j != null) {
      j.close();
    }
  }
}
