package dev.lode.schedule;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One fixed-delay job of a {@link JobScheduler}: runs its body, records the outcome, and on
 * {@link #close()} stops and waits for a run in progress, so whatever the job writes is
 * finished before its owner goes on to close the warehouse.
 */
public final class ScheduledJob implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ScheduledJob.class);
  /** How long {@link #close()} waits for a run in progress. */
  static final Duration STOP_WAIT = Duration.ofSeconds(30);

  private final String name;
  private final Duration delay;
  private final Job body;
  private final String whenFailed;
  private final ReentrantLock running = new ReentrantLock();
  private volatile ScheduledFuture<?> future;
  private volatile boolean stopped;
  private volatile Instant lastStart;
  private volatile Instant lastFinish;
  private volatile String lastOutcome;
  private volatile Instant nextRun;
  private volatile long runs;
  private volatile long failures;

  ScheduledJob(String name, Duration delay, Job body, String whenFailed, Instant firstRun) {
    this.name = name;
    this.delay = delay;
    this.body = body;
    this.whenFailed = whenFailed;
    this.nextRun = firstRun;
  }

  void scheduled(ScheduledFuture<?> future) {
    this.future = future;
  }

  /** One run, on a scheduler thread renamed after the job for thread dumps and logs. */
  void runOnce() {
    run(true);
  }

  /** One run; {@code scheduled}: the schedule's own, after which the next is {@code delay} away. */
  private void run(boolean scheduled) {
    if (stopped) {
      return;
    }
    running.lock();
    Thread thread = Thread.currentThread();
    String poolName = thread.getName();
    thread.setName("lode-" + name);
    lastStart = Instant.now();
    try {
      lastOutcome = "ok" + suffix(body.run());
    } catch (InterruptedException e) {
      lastOutcome = "interrupted";
      Thread.currentThread().interrupt();
    } catch (Exception e) {
      failures++;
      lastOutcome = "failed: " + e.getMessage();
      if (!stopped) {
        LOG.warn("{} failed ({}; next run in {} s): {}", name, whenFailed, delay.toSeconds(), e.getMessage());
      }
    } finally {
      runs++;
      lastFinish = Instant.now();
      if (stopped) {
        nextRun = null;
      } else if (scheduled) {
        nextRun = lastFinish.plus(delay);
      }
      thread.setName(poolName);
      running.unlock();
    }
  }

  /**
   * One run now, on the calling thread, outside the schedule (after a run in progress ends; the
   * schedule goes on): for an owner who knows the job's input just changed, e.g. a demo load that ended.
   */
  public void runNow() {
    run(false);
  }

  private static String suffix(String outcome) {
    return outcome == null || outcome.isBlank() ? "" : ": " + outcome;
  }

  public String name() {
    return name;
  }

  /** What the job last did and when it runs next. */
  public JobState state() {
    return new JobState(name, delay, lastStart, lastFinish, lastOutcome, stopped ? null : nextRun, runs, failures);
  }

  /** Stops the job (interrupting a run in progress) and waits up to 30 s for that run to end. */
  @Override
  public void close() {
    stopped = true;
    ScheduledFuture<?> f = future;
    if (f != null) {
      f.cancel(true);
    }
    try {
      if (running.tryLock(STOP_WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
        running.unlock();
      } else {
        LOG.warn("{} still running {} s after it was asked to stop", name, STOP_WAIT.toSeconds());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
