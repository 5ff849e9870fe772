package dev.lode.tags;

import dev.lode.clock.AsOf;
import dev.lode.config.LodeConfig;
import dev.lode.schedule.JobScheduler;
import dev.lode.schedule.ScheduledJob;
import dev.lode.warehouse.Warehouse;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps profiles and tags current in a running server: every
 * {@code lode.tags.refresh-interval-seconds} (default 900; 0 = off) it refreshes the
 * profiles of persons with new data, then the tags whose own refresh interval has
 * passed; once every {@code lode.profiles.full-refresh-hours} (default 24) the profile
 * refresh is a full one, which also moves clock-relative columns (orders_30d, RFM). Tags
 * are computed as of {@code lode.model.as-of} ({@code auto}: {@code latest-event} for
 * historic data like the demo dataset, else {@code now}). A
 * profile or tag is therefore at most one interval plus one cycle behind its inputs.
 */
public final class TagScheduler implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(TagScheduler.class);

  private final ScheduledJob job;

  private TagScheduler(ScheduledJob job) {
    this.job = job;
  }

  /** Schedules the refresh on {@code jobs}, or returns an idle scheduler when the interval is 0. */
  public static TagScheduler start(JobScheduler jobs, Warehouse warehouse, LodeConfig config) {
    int interval = config.getInt("lode.tags.refresh-interval-seconds", 900);
    int fullHours = config.getInt("lode.profiles.full-refresh-hours", 24);
    if (interval <= 0) {
      return new TagScheduler(null);
    }
    TagService service = TagService.open(warehouse, config);
    AsOf asOf = TagService.configuredAsOf(config);
    Duration every = Duration.ofSeconds(interval);
    // the schedule keeps running after a failure; the failure is also in refresh_runs
    ScheduledJob job = jobs.everyDelay("tags", every, every, "profiles and tags stay as they were",
        () -> cycle(warehouse, service, fullHours, asOf));
    LOG.info("profile and tag refresh every {} s (full profile refresh every {} h)", interval, fullHours);
    return new TagScheduler(job);
  }

  private static String cycle(Warehouse warehouse, TagService service, int fullHours, AsOf asOf) throws Exception {
    boolean incremental = lastFull(warehouse).plus(Duration.ofHours(fullHours)).isAfter(Instant.now());
    TagService.Cycle c = service.refresh(service.asOf(asOf), List.of(), incremental, true);
    long failed = c.tags().stream().filter(t -> !t.ok()).count();
    long notTrained = c.tags().stream().filter(t -> t.notTrained() != null).count();
    LOG.info("profiles {} ({} persons), {} tags refreshed ({} failed, {} not trained), {} consent removals in {} ms",
        c.profiles().mode(), c.profiles().persons(), c.tags().size(), failed, notTrained, c.consentRemovals(),
        c.millis());
    c.tags().stream().filter(t -> !t.ok()).forEach(t -> LOG.warn("tag {} failed: {}", t.tagId(), t.error()));
    c.tags().stream().filter(t -> t.notTrained() != null)
        .forEach(t -> LOG.warn("tag {} not trained (its last version stays): {}", t.tagId(), t.notTrained()));
    return "profiles " + c.profiles().mode() + " (" + c.profiles().persons() + " persons), " + c.tags().size()
        + " tags (" + failed + " failed, " + notTrained + " not trained)";
  }

  private static Instant lastFull(Warehouse warehouse) throws Exception {
    try (Connection c = warehouse.connect(); Statement st = c.createStatement();
         ResultSet rs = st.executeQuery("SELECT count(), toUnixTimestamp64Milli(max(started_at)) FROM refresh_runs"
             + " WHERE target = 'profiles' AND mode = 'full' AND status = 'ok'")) {
      rs.next();
      return rs.getLong(1) == 0 ? Instant.EPOCH : Instant.ofEpochMilli(rs.getLong(2));
    }
  }

  /**
   * Refreshes profiles and tags now, on the calling thread (after a run in progress), outside the
   * schedule: when their input just changed in bulk; nothing when the refresh is off.
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
