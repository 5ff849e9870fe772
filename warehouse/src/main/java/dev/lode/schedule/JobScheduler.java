package dev.lode.schedule;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every periodic job of a running Lode (identity resolution, profile and tag refresh, the
 * recommendation model and serving lists, the report clock) on one pool of named daemon
 * threads, each with a fixed delay between the end of one run and the start of the next,
 * and each job's last run readable for {@code /status}.
 */
public final class JobScheduler implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(JobScheduler.class);
  /** Enough threads that no job waits for another's long run (a full tag refresh, a model build). */
  static final int THREADS = 8;

  private final ScheduledThreadPoolExecutor pool;
  private final List<ScheduledJob> jobs = new CopyOnWriteArrayList<>();

  public JobScheduler() {
    AtomicInteger n = new AtomicInteger();
    pool = new ScheduledThreadPoolExecutor(THREADS, r -> {
      Thread t = new Thread(r, "lode-scheduler-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    });
    pool.setRemoveOnCancelPolicy(true);
    pool.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
  }

  /**
   * Runs {@code body} first after {@code initialDelay}, then {@code delay} after each run ends.
   * A failed run is logged with {@code whenFailed} (what the failure means for readers) and
   * the schedule goes on.
   */
  public ScheduledJob everyDelay(String name, Duration initialDelay, Duration delay, String whenFailed, Job body) {
    if (delay.isZero() || delay.isNegative()) {
      throw new IllegalArgumentException("job " + name + " needs a positive delay, not " + delay);
    }
    ScheduledJob job = new ScheduledJob(name, delay, body, whenFailed, Instant.now().plus(initialDelay));
    jobs.add(job);
    job.scheduled(pool.scheduleWithFixedDelay(job::runOnce, initialDelay.toMillis(), delay.toMillis(),
        TimeUnit.MILLISECONDS));
    LOG.debug("job {} scheduled every {} ms", name, delay.toMillis());
    return job;
  }

  /** Every job ever scheduled here, in the order they were scheduled. */
  public List<JobState> states() {
    return jobs.stream().map(ScheduledJob::state).toList();
  }

  /** Stops every job, waiting for runs in progress, then the threads. */
  @Override
  public void close() {
    jobs.forEach(ScheduledJob::close);
    pool.shutdownNow();
    try {
      pool.awaitTermination(ScheduledJob.STOP_WAIT.toSeconds(), TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
