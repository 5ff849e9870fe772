package dev.lode.identity;

import dev.lode.config.LodeConfig;
import dev.lode.warehouse.Warehouse;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the incremental {@link IdentityResolver} every {@code lode.identity.interval-seconds}
 * (default 60; 0 = never) in a running server, so events from the collector are
 * attributed to persons without anyone asking.
 */
public final class ResolverSchedule implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ResolverSchedule.class);
  private final ScheduledExecutorService timer;

  private ResolverSchedule(ScheduledExecutorService timer) {
    this.timer = timer;
  }

  /** Starts the schedule, or returns an inert one when the interval is 0. */
  public static ResolverSchedule start(Warehouse warehouse, LodeConfig config) {
    int interval = config.getInt("lode.identity.interval-seconds", 60);
    if (interval <= 0) {
      return new ResolverSchedule(null);
    }
    ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "lode-identity");
      t.setDaemon(true);
      return t;
    });
    IdentityResolver resolver = new IdentityResolver(warehouse, config);
    timer.scheduleWithFixedDelay(() -> {
      try {
        resolver.resolve();
      } catch (Exception e) {
        LOG.warn("identity resolution failed; retrying in {} s: {}", interval, e.getMessage());
      }
    }, interval, interval, TimeUnit.SECONDS);
    return new ResolverSchedule(timer);
  }

  @Override
  public void close() {
    if (timer != null) {
      timer.shutdownNow();
    }
  }
}
