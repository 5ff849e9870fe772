package dev.lode.collector;

import dev.lode.config.LodeConfig;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * The collector's knobs, read from {@code lode.collector.*} (defaults in
 * {@code lode/defaults.properties}). Only the operator sets them; no request can.
 */
public record CollectorSettings(
    Path spoolDir,
    int maxEventBytes,
    int maxBatchBytes,
    int maxPropertyBytes,
    int maxDepth,
    long futureToleranceMs,
    long maxAgeMs,
    long maxPendingBytes,
    long segmentBytes,
    int flushIntervalMs,
    int flushMaxRows,
    int dedupCapacity,
    long dedupWindowMs,
    long sessionTimeoutMs,
    List<String> dwellLeaveEvents,
    long durableTimeoutMs) {

  public static CollectorSettings from(LodeConfig c) {
    return new CollectorSettings(
        c.getPath("lode.collector.spool.dir", c.dataDir().resolve("collector").resolve("spool").toString()),
        c.getInt("lode.collector.max-event-bytes", 32 * 1024),
        c.getInt("lode.collector.max-batch-bytes", 500 * 1024),
        c.getInt("lode.collector.max-property-bytes", 8 * 1024),
        c.getInt("lode.collector.max-depth", 16),
        c.getInt("lode.collector.future-tolerance-seconds", 600) * 1000L,
        c.getInt("lode.collector.max-age-days", 3650) * 86_400_000L,
        c.getInt("lode.collector.max-pending-mb", 256) * 1024L * 1024L,
        c.getInt("lode.collector.spool.segment-mb", 64) * 1024L * 1024L,
        c.getInt("lode.collector.flush-interval-ms", 500),
        c.getInt("lode.collector.flush-max-rows", 50_000),
        c.getInt("lode.collector.dedup.capacity", 1_000_000),
        c.getInt("lode.collector.dedup.window-hours", 24) * 3_600_000L,
        c.getInt("lode.collector.session-timeout-minutes", 30) * 60_000L,
        list(c.get("lode.collector.dwell.leave-events", "page_leave,$pageleave,$WebPageLeave")),
        c.getInt("lode.collector.durable-timeout-ms", 30_000));
  }

  /** A comma-separated setting as its items, stripped, blanks left out. */
  public static List<String> list(String csv) {
    return Arrays.stream(csv.split(",")).map(String::strip).filter(s -> !s.isEmpty()).toList();
  }
}
