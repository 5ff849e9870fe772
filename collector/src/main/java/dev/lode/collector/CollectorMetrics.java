package dev.lode.collector;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;

/** The collector's operational counters, rendered in the Prometheus text exposition format. */
public final class CollectorMetrics {
  final LongAdder accepted = new LongAdder();
  final LongAdder deduplicated = new LongAdder();
  final LongAdder sampledOut = new LongAdder();
  final LongAdder summarized = new LongAdder();
  final LongAdder dwellUpdates = new LongAdder();
  final LongAdder idsBlanked = new LongAdder();
  final LongAdder spooledRecords = new LongAdder();
  // counted by the spool and the flusher, through the methods below
  private final LongAdder spooledBytes = new LongAdder();
  private final LongAdder fsyncs = new LongAdder();
  private final LongAdder flushedEvents = new LongAdder();
  private final LongAdder flushedQuarantine = new LongAdder();
  private final LongAdder flushes = new LongAdder();
  private final LongAdder flushFailures = new LongAdder();
  private final LongAdder replayed = new LongAdder();
  private final LongAdder replaySkipped = new LongAdder();
  private final Map<String, LongAdder> quarantined = new ConcurrentHashMap<>();
  private final Map<String, LongAdder> requests = new ConcurrentHashMap<>();
  private volatile LongSupplier pendingBytes = () -> 0;
  private volatile LongSupplier pendingRecords = () -> 0;
  private volatile LongSupplier lagMs = () -> 0;
  private volatile LongSupplier dedupSize = () -> 0;

  void quarantined(ReasonCode reason) {
    quarantined.computeIfAbsent(reason.code(), k -> new LongAdder()).increment();
  }

  void request(int status, String reason) {
    requests.computeIfAbsent(status + "\u0000" + reason, k -> new LongAdder()).increment();
  }

  void gauges(LongSupplier pendingBytes, LongSupplier pendingRecords, LongSupplier lagMs, LongSupplier dedupSize) {
    this.pendingBytes = pendingBytes;
    this.pendingRecords = pendingRecords;
    this.lagMs = lagMs;
    this.dedupSize = dedupSize;
  }

  /** The spool wrote a request's frames ({@code bytes} of them) to its segment file. */
  public void spooled(long bytes) {
    spooledBytes.add(bytes);
  }

  /** The spool fsync'd its segment once. */
  public void fsynced() {
    fsyncs.increment();
  }

  /** The spool read back {@code records} records after the checkpoint at start. */
  public void replayed(long records) {
    replayed.add(records);
  }

  /** The flusher found {@code events} replayed events already in the warehouse and skipped them. */
  public void replaySkipped(long events) {
    replaySkipped.add(events);
  }

  /** The flusher stored one batch: {@code events} event rows and {@code quarantine} quarantine rows. */
  public void flushed(long events, long quarantine) {
    flushedEvents.add(events);
    flushedQuarantine.add(quarantine);
    flushes.increment();
  }

  /** A flusher's insert round failed (it is retried). */
  public void flushFailed() {
    flushFailures.increment();
  }

  public long accepted() {
    return accepted.sum();
  }

  public long flushedEvents() {
    return flushedEvents.sum();
  }

  public long flushes() {
    return flushes.sum();
  }

  public long fsyncs() {
    return fsyncs.sum();
  }

  public long replayed() {
    return replayed.sum();
  }

  public long replaySkipped() {
    return replaySkipped.sum();
  }

  /** The counters in Prometheus text format (version 0.0.4). */
  public String prometheus() {
    StringBuilder b = new StringBuilder(4096);
    counter(b, "lode_collector_events_accepted_total", "Events accepted (spooled durably) for storage.", accepted);
    counter(b, "lode_collector_events_deduplicated_total", "Events dropped as retries of a messageId already accepted.",
        deduplicated);
    counter(b, "lode_collector_events_sampled_out_total", "Events dropped by a sample rule of the granularity policy.",
        sampledOut);
    counter(b, "lode_collector_events_summarized_total", "Events folded into page-view dwell time instead of stored.",
        summarized);
    counter(b, "lode_collector_dwell_updates_total", "Page-view rows re-stored with a new dwell time.", dwellUpdates);
    counter(b, "lode_collector_ids_blanked_total", "Garbage userId/anonymousId values blanked at ingest.", idsBlanked);
    b.append("# HELP lode_collector_events_quarantined_total Events sent to quarantine, by reason code.\n");
    b.append("# TYPE lode_collector_events_quarantined_total counter\n");
    new TreeMap<>(quarantined).forEach((k, v) -> b.append("lode_collector_events_quarantined_total{reason=\"")
        .append(k).append("\"} ").append(v.sum()).append('\n'));
    b.append("# HELP lode_collector_requests_total Requests answered, by HTTP status and reason.\n");
    b.append("# TYPE lode_collector_requests_total counter\n");
    new TreeMap<>(requests).forEach((k, v) -> {
      String[] sr = k.split("\u0000", 2);
      b.append("lode_collector_requests_total{status=\"").append(sr[0]).append("\",reason=\"").append(sr[1])
          .append("\"} ").append(v.sum()).append('\n');
    });
    counter(b, "lode_collector_spooled_records_total", "Records (events, dwell updates, quarantine) written to the spool.",
        spooledRecords);
    counter(b, "lode_collector_spooled_bytes_total", "Bytes written to the spool.", spooledBytes);
    counter(b, "lode_collector_spool_fsyncs_total", "fsync calls of the spool (each covers every request waiting).",
        fsyncs);
    counter(b, "lode_collector_flushed_events_total", "Event rows inserted into the warehouse.", flushedEvents);
    counter(b, "lode_collector_flushed_quarantine_total", "Quarantine rows inserted into the warehouse.",
        flushedQuarantine);
    counter(b, "lode_collector_flushes_total", "Warehouse insert rounds.", flushes);
    counter(b, "lode_collector_flush_failures_total", "Warehouse insert rounds that failed (retried).", flushFailures);
    counter(b, "lode_collector_replayed_records_total", "Spool records read back after a restart.", replayed);
    counter(b, "lode_collector_replay_already_stored_total", "Replayed events found already in the warehouse (skipped).",
        replaySkipped);
    gauge(b, "lode_collector_spool_pending_bytes", "Heap held by spooled records not yet in the warehouse (what max-pending-mb limits).", pendingBytes);
    gauge(b, "lode_collector_spool_pending_records", "Spooled records waiting for the flusher.", pendingRecords);
    gauge(b, "lode_collector_flush_lag_seconds", "Age of the oldest record not yet in the warehouse.",
        () -> lagMs.getAsLong(), 1000.0);
    gauge(b, "lode_collector_dedup_ids", "messageIds held in the dedup index.", dedupSize);
    return b.toString();
  }

  private static void counter(StringBuilder b, String name, String help, LongAdder v) {
    b.append("# HELP ").append(name).append(' ').append(help).append('\n');
    b.append("# TYPE ").append(name).append(" counter\n");
    b.append(name).append(' ').append(v.sum()).append('\n');
  }

  private static void gauge(StringBuilder b, String name, String help, LongSupplier v) {
    b.append("# HELP ").append(name).append(' ').append(help).append('\n');
    b.append("# TYPE ").append(name).append(" gauge\n");
    b.append(name).append(' ').append(v.getAsLong()).append('\n');
  }

  private static void gauge(StringBuilder b, String name, String help, LongSupplier v, double divisor) {
    b.append("# HELP ").append(name).append(' ').append(help).append('\n');
    b.append("# TYPE ").append(name).append(" gauge\n");
    b.append(name).append(' ').append(v.getAsLong() / divisor).append('\n');
  }
}
