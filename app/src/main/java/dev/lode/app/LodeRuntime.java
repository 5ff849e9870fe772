package dev.lode.app;

import dev.lode.collector.Collector;
import dev.lode.identity.ResolverSchedule;
import dev.lode.quality.QualitySettings;
import dev.lode.recommend.ModelRefresher;
import dev.lode.recommend.RecommendSettings;
import dev.lode.recommend.ServingRefresher;
import dev.lode.recommend.ServingStore;
import dev.lode.report.ReportService;
import dev.lode.schedule.JobScheduler;
import dev.lode.schedule.JobState;
import dev.lode.tags.TagScheduler;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every service and scheduler of a running Lode, started and stopped in one place, so the
 * standalone server ({@link LodeServer}) and the WAR's listener run exactly the same things:
 * the report views and scheduler, the collector and its flusher, the quality thresholds, the
 * demo load, identity resolution, the profile and tag refresh, and the recommendation model
 * and serving lists. Stopping runs in reverse, so the collector flushes its spool before the
 * warehouse closes.
 */
public final class LodeRuntime implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(LodeRuntime.class);

  private final LodeContext context;
  private final JobScheduler jobs = new JobScheduler();
  /** What was started, last first: closed in this order. */
  private final Deque<AutoCloseable> started = new ArrayDeque<>();
  private Collector collector;

  private LodeRuntime(LodeContext context) {
    this.context = context;
    started.push(context);
    started.push(jobs);
  }

  /**
   * Starts everything over {@code context}, which the runtime then owns (closing the runtime
   * closes it); if anything fails to start, what did start is stopped again and the context closed.
   */
  public static LodeRuntime start(LodeContext context) {
    LodeRuntime r = new LodeRuntime(context);
    try {
      r.startAll();
      return r;
    } catch (RuntimeException e) {
      r.close();
      throw e;
    }
  }

  private void startAll() {
    var config = context.config();
    var warehouse = context.warehouse();
    // the report views first: the SQL endpoint builds the analysts' and viewers' masked
    // databases from the warehouse catalog as it starts, and viewers read the report views
    started.push(ReportService.start(jobs, config, warehouse::connect, Clock.systemUTC()));
    collector = Collector.start(config, context.credentials(), warehouse);
    started.push(collector);
    try {
      QualitySettings.apply(warehouse, config);
    } catch (Exception e) {
      LOG.warn("could not apply lode.quality.* settings: {}", e.getMessage());
    }
    boolean demo = DemoDataset.due(config);
    started.push(ResolverSchedule.start(jobs, warehouse, config));
    TagScheduler tags = TagScheduler.start(jobs, warehouse, config);
    started.push(tags);
    RecommendSettings recommend = RecommendSettings.from(config);
    // loading the demo, the model's first build waits for the load's end (below) instead of learning from
    // a half-loaded warehouse 10 s after start: that generation would be replaced a refresh interval later,
    // and every served list with it, so People pages computed recommendations live again until the next full pass
    ModelRefresher model = demo
        ? ModelRefresher.start(jobs, warehouse, recommend, Duration.ofMinutes(Math.max(1, recommend.refreshMinutes())))
        : ModelRefresher.start(jobs, warehouse, recommend);
    started.push(model);
    started.push(ServingRefresher.start(jobs, new ServingStore(warehouse, recommend), recommend.servingIntervalMillis()));
    if (demo) {
      long size = DemoDataset.size(config);
      Thread loader = Thread.ofPlatform().name("lode-demo").daemon().start(() -> {
        try {
          DemoDataset.load(warehouse, config, size, LOG::info);
        } catch (Exception e) {
          LOG.warn("demo dataset not loaded: {}", e.getMessage());
          return;
        }
        // the demo is there to be looked at: profiles, tags and the model (and with it the served
        // recommendation lists) are computed now, not at their first scheduled run minutes later
        LOG.info("demo: refreshing profiles and tags, then building the recommendation model");
        tags.runNow();
        model.runNow();
      });
      started.push(loader::interrupt);
    }
  }

  public LodeContext context() {
    return context;
  }

  /** The collector the HTTP endpoints hand events to. */
  public Collector collector() {
    return collector;
  }

  /** Every periodic job's last run and next run, for {@code /status}. */
  public List<JobState> jobs() {
    return jobs.states();
  }

  /**
   * Stops everything in reverse order of start: the schedules (waiting for runs in progress),
   * the demo load, the collector (flushing its spool), the report scheduler, the job threads,
   * then the warehouse.
   */
  @Override
  public void close() {
    RuntimeException failure = null;
    while (!started.isEmpty()) {
      try {
        started.pop().close();
      } catch (Exception e) {
        LOG.warn("stopping Lode: {}", e.getMessage(), e);
        if (failure == null) {
          failure = e instanceof RuntimeException re ? re : new IllegalStateException(e);
        }
      }
    }
    if (failure != null) {
      throw failure;
    }
  }
}
