package dev.lode.collector.spool;

import dev.lode.privacy.ErasureStore;
import dev.lode.privacy.ErasureSubject;
import java.io.IOException;
import java.io.InterruptedIOException;

/**
 * The collector's spool as an {@link ErasureStore}: waits until every spooled record is in
 * the warehouse (where the erasure then deletes the person's rows) and deletes the spool
 * segments that held them, so no raw payload of the person stays on disk. Events of a
 * suppressed id never reach the spool again.
 */
public final class SpoolErasure implements ErasureStore {
  private final Spool spool;
  private final long timeoutMs;

  public SpoolErasure(Spool spool, long timeoutMs) {
    this.spool = spool;
    this.timeoutMs = timeoutMs;
  }

  @Override
  public String name() {
    return "collector_spool";
  }

  /** Returns how many of the purged spool records mentioned the subject. */
  @Override
  public long erase(ErasureSubject subject) throws IOException {
    try {
      return spool.drainClosedSegments(timeoutMs).stream().filter(r -> subject.mentions(String.valueOf(r))).count();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted while draining the collector spool");
    }
  }
}
