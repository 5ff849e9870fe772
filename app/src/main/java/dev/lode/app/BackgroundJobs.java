package dev.lode.app;

import dev.lode.identity.ResolverSchedule;
import dev.lode.quality.QualitySettings;
import dev.lode.app.DemoDataset;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a running server does besides answering requests: applies the quality thresholds,
 * resolves identities on a schedule, and on the first start over a data directory loads
 * the demo dataset in the background (so the server is up at once; {@code lode.demo.enabled=false}
 * turns it off).
 */
final class BackgroundJobs implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(BackgroundJobs.class);
  private final ResolverSchedule resolver;
  private final Thread demo;

  private BackgroundJobs(ResolverSchedule resolver, Thread demo) {
    this.resolver = resolver;
    this.demo = demo;
  }

  static BackgroundJobs start(LodeContext ctx) {
    try {
      QualitySettings.apply(ctx.warehouse(), ctx.config());
    } catch (Exception e) {
      LOG.warn("could not apply lode.quality.* settings: {}", e.getMessage());
    }
    Thread demo = null;
    if (DemoDataset.due(ctx.config())) {
      long size = DemoDataset.size(ctx.config());
      demo = Thread.ofPlatform().name("lode-demo").daemon().start(() -> {
        try {
          DemoDataset.load(ctx.warehouse(), ctx.config(), size, LOG::info);
        } catch (Exception e) {
          LOG.warn("demo dataset not loaded: {}", e.getMessage());
        }
      });
    }
    return new BackgroundJobs(ResolverSchedule.start(ctx.warehouse(), ctx.config()), demo);
  }

  @Override
  public void close() {
    resolver.close();
    if (demo != null) {
      demo.interrupt();
    }
  }
}
