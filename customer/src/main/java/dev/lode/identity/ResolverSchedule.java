package dev.lode.identity;

import dev.lode.config.LodeConfig;
import dev.lode.schedule.JobScheduler;
import dev.lode.schedule.ScheduledJob;
import dev.lode.warehouse.Warehouse;
import java.time.Duration;

/**
 * Runs the incremental {@link IdentityResolver} every {@code lode.identity.interval-seconds}
 * (default 60; 0 = never) in a running server, so events from the collector are
 * attributed to persons without anyone asking.
 */
public final class ResolverSchedule implements AutoCloseable {
  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(ResolverSchedule.class);
  private final ScheduledJob job;

  private ResolverSchedule(ScheduledJob job) {
    this.job = job;
  }

  /** Schedules resolution on {@code jobs}, or returns an inert schedule when the interval is 0. */
  public static ResolverSchedule start(JobScheduler jobs, Warehouse warehouse, LodeConfig config) {
    int interval = config.getInt("lode.identity.interval-seconds", 60);
    if (interval <= 0) {
      return new ResolverSchedule(null);
    }
    IdentityResolver resolver = new IdentityResolver(warehouse, config);
    Duration every = Duration.ofSeconds(interval);
    return new ResolverSchedule(jobs.everyDelay("identity", every, every, "retried at the next run",
        () -> {
          IdentityResolver.RunSummary s = resolver.resolve();
          // a run with nothing new to resolve is the usual case: /status shows it, the log does not
          if (s.evidence() > 0) {
            LOG.info(s.toText());
          }
          return s.toText();
        }));
  }

  @Override
  public void close() {
    if (job != null) {
      job.close();
    }
  }
}
