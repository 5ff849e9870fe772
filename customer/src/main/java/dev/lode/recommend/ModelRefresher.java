package dev.lode.recommend;

import dev.lode.warehouse.Warehouse;
import java.time.Instant;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the {@code live} model fresh: rebuilds it {@code lode.recommend.refresh-minutes} after
 * the previous build (0 = never), skipping builds when no input table changed. A failed build
 * is logged and retried next time; readers keep using the previous generation meanwhile.
 */
public final class ModelRefresher implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ModelRefresher.class);
  /** The first build waits this long, so it does not compete with start-up. */
  static final long FIRST_DELAY_SECONDS = 10;

  private final ScheduledExecutorService timer;

  private ModelRefresher(ScheduledExecutorService timer) {
    this.timer = timer;
  }

  /** Starts refreshing in a background thread; with refresh-minutes 0 it does nothing. */
  public static ModelRefresher start(Warehouse warehouse, RecommendSettings settings) {
    if (settings.refreshMinutes() <= 0) {
      return new ModelRefresher(null);
    }
    ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "lode-recommend-refresh");
      t.setDaemon(true);
      return t;
    });
    ModelBuilder builder = new ModelBuilder(warehouse, settings);
    timer.scheduleWithFixedDelay(() -> {
      try {
        ModelBuilder.Build b = builder.build(Recommender.LIVE, Instant.now(), false);
        if (b.skipped()) {
          LOG.debug("recommendation model unchanged, generation {} kept", b.generation());
        }
      } catch (Exception e) {
        LOG.warn("recommendation model refresh failed (the previous generation stays in use): {}", e.getMessage());
      }
    }, FIRST_DELAY_SECONDS, TimeUnit.MINUTES.toSeconds(settings.refreshMinutes()), TimeUnit.SECONDS);
    return new ModelRefresher(timer);
  }

  @Override
  public void close() {
    if (timer != null) {
      timer.shutdownNow();
      try {
        timer.awaitTermination(5, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
