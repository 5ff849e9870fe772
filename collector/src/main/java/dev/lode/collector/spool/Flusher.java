package dev.lode.collector.spool;

import dev.lode.collector.CollectedEvent;
import dev.lode.collector.CollectorMetrics;
import dev.lode.collector.CollectorSettings;
import dev.lode.collector.QuarantinedEvent;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Moves durable spool records into the warehouse in batches (every flush interval or
 * when enough rows wait), retrying a failed insert until it succeeds, then advances the
 * spool checkpoint. Records read back after a restart are first checked against the
 * table, so a crash between insert and checkpoint never stores a row twice.
 */
public final class Flusher implements Runnable {
  private static final Logger LOG = LoggerFactory.getLogger(Flusher.class);

  private final Spool spool;
  private final EventWriter writer;
  private final CollectorSettings settings;
  private final CollectorMetrics metrics;
  private volatile boolean running = true;
  private final Thread thread;

  public Flusher(Spool spool, EventWriter writer, CollectorSettings settings, CollectorMetrics metrics) {
    this.spool = spool;
    this.writer = writer;
    this.settings = settings;
    this.metrics = metrics;
    this.thread = Thread.ofPlatform().name("lode-collector-flush").daemon().unstarted(this);
  }

  public void start() {
    thread.start();
  }

  @Override
  public void run() {
    long lastFlush = System.currentTimeMillis();
    while (true) {
      try {
        // short waits, so stop() is noticed promptly
        List<Spool.Entry> batch = spool.takeDurable(settings.flushMaxRows(), Math.min(100, settings.flushIntervalMs()));
        if (batch.isEmpty()) {
          if (!running) {
            return;
          }
          continue;
        }
        // let a batch fill up for the rest of the interval: fewer, larger inserts. The interval
        // counts from the start of the previous insert, so under load inserts follow each other
        // back to back, each taking what arrived while the previous one ran
        long wait = lastFlush + settings.flushIntervalMs() - System.currentTimeMillis();
        // except for what a restart replayed from the spool: that is stored at once
        boolean replay = batch.stream().anyMatch(Spool.Entry::replayed);
        if (running && !replay && wait > 0 && batch.size() < settings.flushMaxRows()) {
          synchronized (this) {
            wait(wait); // stop() cuts the wait short
          }
          batch.addAll(spool.takeDurable(settings.flushMaxRows() - batch.size(), 0));
        }
        lastFlush = System.currentTimeMillis();
        store(batch);
      } catch (InterruptedException e) {
        return;
      }
    }
  }

  private void store(List<Spool.Entry> batch) throws InterruptedException {
    if (batch.stream().noneMatch(Spool.Entry::replayed)) {
      storeEncoded(batch);
      return;
    }
    Map<String, CollectedEvent> events = new LinkedHashMap<>();
    List<CollectedEvent> replayed = new ArrayList<>();
    List<QuarantinedEvent> quarantine = new ArrayList<>();
    long bytes = 0;
    for (Spool.Entry e : batch) {
      bytes += e.heldBytes();
      Object record = e.record(); // decodes the spooled bytes
      if (record instanceof CollectedEvent ce) {
        // a dwell update in the same batch replaces its page view: one row, not two
        events.remove(ce.rowKey());
        events.put(ce.rowKey(), ce);
        if (e.replayed()) {
          replayed.add(ce);
        }
      } else {
        quarantine.add((QuarantinedEvent) record);
      }
    }
    long heldBytes = bytes;
    untilStored(batch, () -> {
      if (!replayed.isEmpty()) {
        Set<String> stored = writer.existingRowKeys(replayed);
        int before = events.size();
        events.values().removeIf(ce -> stored.contains(ce.rowKey() + '\u0001' + ce.dwellMs()));
        metrics.replaySkipped(before - events.size());
        replayed.clear();
      }
      writer.insertEvents(new ArrayList<>(events.values()));
      writer.insertQuarantine(quarantine);
      spool.checkpoint(batch.get(batch.size() - 1), heldBytes);
      metrics.flushed(events.size(), quarantine.size());
    });
  }

  /**
   * Stores records appended by this process straight from their spooled bytes
   * ({@link SpoolRows}); a later record with an earlier one's row key in the same batch (a
   * dwell update of a page view) replaces it, one row per key as in the decoding path.
   */
  private void storeEncoded(List<Spool.Entry> batch) throws InterruptedException {
    long bytes = 0;
    boolean[] superseded = new boolean[batch.size()];
    Map<String, Integer> byKey = new java.util.HashMap<>();
    List<QuarantinedEvent> quarantine = new ArrayList<>();
    int events = 0;
    for (int i = 0; i < batch.size(); i++) {
      Spool.Entry e = batch.get(i);
      bytes += e.heldBytes();
      if (!SpoolRows.isEvent(e.frames(), e.offset())) {
        quarantine.add((QuarantinedEvent) e.record());
        superseded[i] = true; // not an events row
        continue;
      }
      events++;
      Integer earlier = byKey.put(SpoolRows.rowKey(e.frames(), e.offset()), i);
      if (earlier != null) {
        superseded[earlier] = true;
        events--;
      }
    }
    long heldBytes = bytes;
    int rows = events;
    untilStored(batch, () -> {
      if (rows > 0) {
        writer.insertRows(out -> {
          for (int i = 0; i < superseded.length; i++) {
            if (!superseded[i]) {
              SpoolRows.writeEvent(batch.get(i).frames(), batch.get(i).offset(), out);
            }
          }
        });
      }
      writer.insertQuarantine(quarantine);
      spool.checkpoint(batch.get(batch.size() - 1), heldBytes);
      metrics.flushed(rows, quarantine.size());
    });
  }

  /** One attempt at storing a batch and checkpointing it. */
  private interface Attempt {
    void run() throws Exception;
  }

  /**
   * Runs {@code attempt} until it succeeds, backing off from 100 ms to 5 s; at shutdown it
   * gives up once the backoff reaches 5 s, and the records stay in the spool for the next start.
   */
  private void untilStored(List<Spool.Entry> batch, Attempt attempt) throws InterruptedException {
    long backoff = 100;
    while (true) {
      try {
        attempt.run();
        return;
      } catch (Exception ex) {
        metrics.flushFailed();
        LOG.warn("collector flush of {} rows failed (retrying in {} ms): {}", batch.size(), backoff, ex.toString());
        Thread.sleep(backoff);
        backoff = Math.min(5000, backoff * 2);
        if (!running && backoff >= 5000) {
          LOG.error("collector: giving up flushing at shutdown; {} records stay in the spool for the next start",
              batch.size());
          return;
        }
      }
    }
  }

  /** Flushes what is spooled, then stops. */
  public void stop() {
    running = false;
    synchronized (this) {
      notifyAll();
    }
    try {
      thread.join(30_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
