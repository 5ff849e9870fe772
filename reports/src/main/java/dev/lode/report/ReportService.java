package dev.lode.report;

import dev.lode.config.LodeConfig;
import dev.lode.schedule.JobScheduler;
import java.sql.SQLException;
import java.time.Clock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The reports part of a running server: at start it (re)creates the {@code report_*}
 * views and, unless {@code lode.reports.scheduler.enabled=false}, starts the scheduler, which
 * delivers each run to the report's recipients ({@code lode.reports.delivery.*}).
 */
public final class ReportService implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ReportService.class);

  private final ReportScheduler scheduler;

  private ReportService(ReportScheduler scheduler) {
    this.scheduler = scheduler;
  }

  /** Starts reporting over {@code warehouse}, the scheduler as a job of {@code jobs}; a broken definition stops the start with its error. */
  public static ReportService start(JobScheduler jobs, LodeConfig config, ConnectionSource warehouse, Clock clock) {
    ReportSettings settings = ReportSettings.of(config);
    ReportCatalog catalog = settings.catalog();
    try {
      for (String problem : ReportViews.refresh(warehouse, catalog)) {
        LOG.error(problem);
      }
    } catch (SQLException e) {
      LOG.error("cannot create the report views: {}", e.getMessage());
    }
    if (!settings.schedulerEnabled()) {
      return new ReportService(null);
    }
    // relative date defaults are read in the same zone as the cron expressions
    ReportJob job = settings.job(warehouse, clock.withZone(settings.zone()))
        .withDelivery(ReportDelivery.of(config, catalog, clock));
    if (settings.asOfLatestData()) {
      job = job.withDataClock(new DataClock(warehouse));
    }
    ReportScheduler s = new ReportScheduler(catalog, job, settings.zone(), settings.outputDir(), settings.poll());
    return new ReportService(s.start(jobs));
  }

  @Override
  public void close() {
    if (scheduler != null) {
      scheduler.close();
    }
  }
}
