package dev.lode.recommend;

import dev.lode.warehouse.Warehouse;
import dev.lode.schedule.JobScheduler;
import dev.lode.schedule.ScheduledJob;
import java.time.Duration;
import java.time.Instant;

/**
 * Keeps the {@code live} model fresh: rebuilds it {@code lode.recommend.refresh-minutes} after
 * the previous build (0 = never), skipping builds when no input table changed. A failed build
 * is logged and retried next time; readers keep using the previous generation meanwhile. The weights it
 * builds and serves with are the server's ({@link TunedWeights}: the newest temporal tuning's unless configured),
 * recorded in {@code rec_models.weights} and shown in the job's status.
 */
public final class ModelRefresher implements AutoCloseable {
  /** The first build waits this long, so it does not compete with start-up. */
  static final long FIRST_DELAY_SECONDS = 10;

  private final ScheduledJob job;

  private ModelRefresher(ScheduledJob job) {
    this.job = job;
  }

  /** Schedules refreshing on {@code jobs}, the first build 10 s after start; with refresh-minutes 0 it does nothing. */
  public static ModelRefresher start(JobScheduler jobs, Warehouse warehouse, RecommendSettings settings) {
    return start(jobs, warehouse, settings, Duration.ofSeconds(FIRST_DELAY_SECONDS));
  }

  /**
   * As {@link #start(JobScheduler, Warehouse, RecommendSettings)} with the first build after
   * {@code firstDelay} (a server loading its demo data builds when the load ends, {@link #runNow()},
   * not over a half-loaded warehouse).
   */
  public static ModelRefresher start(JobScheduler jobs, Warehouse warehouse, RecommendSettings settings,
                                     Duration firstDelay) {
    if (settings.refreshMinutes() <= 0) {
      return new ModelRefresher(null);
    }
    ModelBuilder builder = new ModelBuilder(warehouse, settings);
    return new ModelRefresher(jobs.everyDelay("recommend-model", firstDelay,
        Duration.ofMinutes(settings.refreshMinutes()), "the previous generation stays in use", () -> {
          // the model learns from what happened before the recommender's "now" (lode.recommend.as-of)
          ModelBuilder.Build b = builder.build(Recommender.LIVE,
              settings.asOf().resolve(warehouse).orElseGet(Instant::now), false);
          return (b.skipped() ? "unchanged, generation " : "built generation ") + b.generation() + "; blend weights "
              + settings.describeWeights();
        }));
  }

  /**
   * Builds the model now, on the calling thread (after a run in progress), outside the schedule:
   * when its input just changed in bulk; nothing when refreshing is off.
   */
  public void runNow() {
    if (job != null) {
      job.runNow();
    }
  }

  @Override
  public void close() {
    if (job != null) {
      job.close();
    }
  }
}
