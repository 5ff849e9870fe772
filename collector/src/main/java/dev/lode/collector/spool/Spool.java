package dev.lode.collector.spool;

import dev.lode.collector.CollectedEvent;
import dev.lode.collector.CollectorMetrics;
import dev.lode.collector.QuarantinedEvent;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Stream;
import java.util.zip.CRC32C;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The collector's write-ahead log: a request encodes its records into one framed buffer and
 * queues it; a single background thread writes everything queued to the segment file and
 * fsyncs once for all of it (group commit), and the request is answered only once that fsync
 * covers its records. Request threads never touch the file, so they neither contend on it nor
 * wait on each other's writes. Records stay in
 * memory until the flusher has inserted them into the warehouse and moved the
 * checkpoint; at start, records after the checkpoint are read back (a torn tail, never
 * acknowledged, is cut off). Frames are {@code [length][crc32c][payload]}.
 */
public final class Spool implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Spool.class);
  private static final String SUFFIX = ".seg";

  /**
   * One spooled record and where it ends in the spool (for the checkpoint). A record appended
   * by this process waits in its encoded form, a slice of its request's frame buffer, and is
   * decoded only when the flusher takes it: holding tens of thousands of decoded events (each
   * a graph of strings and a map) until the next insert made every young collection copy them.
   */
  static final class Entry {
    private final long seq;
    private final long segment;
    private final long endOffset;
    private final int bytes;
    private final boolean replayed;
    private final long received;
    private final int held;
    private final byte[] frames;
    private final int offset;
    private final Object decoded;

    private Entry(long seq, long segment, long endOffset, int bytes, boolean replayed, long received, byte[] frames,
                  int offset, Object decoded, int held) {
      this.seq = seq;
      this.segment = segment;
      this.endOffset = endOffset;
      this.bytes = bytes;
      this.replayed = replayed;
      this.received = received;
      this.frames = frames;
      this.offset = offset;
      this.decoded = decoded;
      this.held = held;
    }

    /** A record read back at start, kept decoded. */
    static Entry replayed(long segment, long endOffset, Object record, int bytes) {
      int held = ENTRY_BYTES + (record instanceof CollectedEvent ce ? ce.approxBytes()
          : ((QuarantinedEvent) record).approxBytes());
      return new Entry(0, segment, endOffset, bytes, true, receivedTime(record), null, 0, record, held);
    }

    long seq() {
      return seq;
    }

    long segment() {
      return segment;
    }

    long endOffset() {
      return endOffset;
    }

    /** The payload's size in bytes (its frame adds 8). */
    int bytes() {
      return bytes;
    }

    /** Whether it was read back from the spool at start rather than appended by this process. */
    boolean replayed() {
      return replayed;
    }

    /** The record: a {@link CollectedEvent} or a {@link QuarantinedEvent}. */
    Object record() {
      return decoded != null ? decoded : SpoolCodec.decode(ByteBuffer.wrap(frames, offset, bytes).slice());
    }

    /** The buffer holding the encoded record (null for a replayed one, which is kept decoded). */
    byte[] frames() {
      return frames;
    }

    /** Where the encoded record starts in {@link #frames}. */
    int offset() {
      return offset;
    }

    /**
     * The heap this entry keeps until it is flushed: its frame in the request's buffer (sized
     * to fit, so the frames of a buffer add up to the buffer) and the entry itself, or for a
     * replayed record its decoded form; what {@code max-pending-mb} counts.
     */
    int heldBytes() {
      return held;
    }

    /** When the record was received (for the flush-lag gauge). */
    long received() {
      return received;
    }
  }

  /** An entry's own size on the heap (object header, fields, the queue's slot), counted with its frame. */
  static final int ENTRY_BYTES = 80;

  private static long receivedTime(Object record) {
    return record instanceof CollectedEvent ce ? ce.receivedTime() : ((QuarantinedEvent) record).receivedTime();
  }

  private final Path dir;
  private final long segmentBytes;
  private final CollectorMetrics metrics;
  /** Guards the segment file and the pending queue; nobody waits on it. */
  private final Object lock = new Object();
  /** Guards {@link #queued} and {@link #appendSeq}; the fsync thread waits here for appends. */
  private final Object syncSignal = new Object();
  /** Framed buffers appended but not yet written, in sequence order. */
  private final ArrayDeque<Batch> queued = new ArrayDeque<>();
  /** The highest sequence written to a segment file (guarded by {@link #lock}). */
  private long writtenSeq;
  /** The flusher waits here for fsyncs (one wake-up per fsync, not per append). */
  private final Object durableSignal = new Object();
  /** Requests parked in {@link #awaitDurable}. */
  private final java.util.Set<Thread> durableWaiters = java.util.concurrent.ConcurrentHashMap.newKeySet();
  private final ArrayDeque<Entry> pending = new ArrayDeque<>();
  private FileChannel current;
  private long currentSegment;
  private long currentOffset;
  private volatile long appendSeq;
  private volatile long durableSeq;
  /** The highest sequence the flusher has checkpointed (for erasure). */
  private volatile long checkpointedSeq;
  private volatile long pendingBytes;
  private volatile IOException failure;
  private volatile boolean running = true;
  private final Thread syncer;
  private FileChannel lockFile;

  private Spool(Path dir, long segmentBytes, CollectorMetrics metrics) {
    this.dir = dir;
    this.segmentBytes = segmentBytes;
    this.metrics = metrics;
    this.syncer = Thread.ofPlatform().name("lode-spool-fsync").daemon().unstarted(this::syncLoop);
  }

  /** Opens the spool, reading back every record after the checkpoint, and starts the fsync thread. */
  public static Spool open(Path dir, long segmentBytes, CollectorMetrics metrics) {
    try {
      Files.createDirectories(dir);
      Spool s = new Spool(dir, segmentBytes, metrics);
      s.lockFile = FileChannel.open(dir.resolve("lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
      java.nio.channels.FileLock held;
      try {
        held = s.lockFile.tryLock();
      } catch (java.nio.channels.OverlappingFileLockException e) {
        held = null;
      }
      if (held == null) {
        s.lockFile.close();
        throw new IllegalStateException("the collector spool " + dir + " is in use by another collector;"
            + " give each server its own lode.data.dir or lode.collector.spool.dir");
      }
      long last = s.replay();
      s.currentSegment = last + 1;
      s.current = FileChannel.open(s.segmentPath(s.currentSegment), StandardOpenOption.CREATE_NEW,
          StandardOpenOption.WRITE);
      s.syncer.start();
      return s;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot open the collector spool " + dir, e);
    }
  }

  private Path segmentPath(long n) {
    return dir.resolve(String.format("%020d%s", n, SUFFIX));
  }

  private List<Long> segments() throws IOException {
    try (Stream<Path> s = Files.list(dir)) {
      return s.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(SUFFIX))
          .map(n -> Long.parseLong(n.substring(0, n.length() - SUFFIX.length()))).sorted().toList();
    }
  }

  /** Reads the records after the checkpoint into the pending queue; returns the highest segment number seen. */
  private long replay() throws IOException {
    long cpSegment = 0;
    long cpOffset = 0;
    Path cp = dir.resolve("checkpoint");
    if (Files.isRegularFile(cp)) {
      String[] parts = Files.readString(cp).strip().split(" ");
      cpSegment = Long.parseLong(parts[0]);
      cpOffset = Long.parseLong(parts[1]);
    }
    long last = 0;
    int replayed = 0;
    for (long seg : segments()) {
      last = Math.max(last, seg);
      if (seg < cpSegment) {
        Files.deleteIfExists(segmentPath(seg));
        continue;
      }
      byte[] all = Files.readAllBytes(segmentPath(seg));
      ByteBuffer b = ByteBuffer.wrap(all);
      long pos = seg == cpSegment ? cpOffset : 0;
      while (pos + 8 <= all.length) {
        int len = b.getInt((int) pos);
        int crc = b.getInt((int) pos + 4);
        if (len <= 0 || pos + 8 + len > all.length || crc32c(all, (int) pos + 8, len) != crc) {
          break;
        }
        Object record = SpoolCodec.decode(ByteBuffer.wrap(all, (int) pos + 8, len).slice());
        pos += 8 + len;
        Entry e = Entry.replayed(seg, pos, record, len);
        pending.add(e);
        pendingBytes += e.heldBytes();
        replayed++;
      }
      if (pos < all.length) {
        // a torn tail: written but never fsync'd, so never acknowledged to a client
        LOG.warn("collector spool: cutting a torn tail of {} bytes from segment {}", all.length - pos, seg);
        try (FileChannel ch = FileChannel.open(segmentPath(seg), StandardOpenOption.WRITE)) {
          ch.truncate(Math.max(pos, seg == cpSegment ? cpOffset : 0));
          ch.force(true);
        }
      }
    }
    if (replayed > 0) {
      LOG.info("collector spool: {} records after the checkpoint will be flushed again", replayed);
    }
    metrics.replayed(replayed);
    return last;
  }

  private static int crc32c(byte[] b, int off, int len) {
    CRC32C c = new CRC32C();
    c.update(b, off, len);
    return (int) c.getValue();
  }

  /** One request's records framed in one buffer, waiting for the fsync thread to write it. */
  private record Batch(long seq, byte[] frames, int size, long[] received, int[] lengths) {
  }

  /** Appends records; returns the sequence to wait for with {@link #awaitDurable}. */
  public long append(List<Object> records) throws IOException {
    if (records.isEmpty()) {
      return 0;
    }
    SpoolCodec.Out o = new SpoolCodec.Out(records.size() * 640);
    int[] lengths = new int[records.size()];
    long[] received = new long[records.size()];
    CRC32C crc = new CRC32C();
    for (int i = 0; i < lengths.length; i++) {
      int start = o.size();
      o.i(0).i(0); // length and checksum, filled in below
      SpoolCodec.encode(records.get(i), o);
      int len = o.size() - start - 8;
      crc.reset();
      crc.update(o.array(), start + 8, len);
      o.putInt(start, len);
      o.putInt(start + 4, (int) crc.getValue());
      lengths[i] = len;
      received[i] = receivedTime(records.get(i));
    }
    // the entries keep the buffer until they are flushed: trim the growth slack (up to half
    // of it), so what is counted against max-pending-mb is what is held; the queued batch
    // keeps no reference to the request's decoded records
    byte[] frames = o.size() == o.array().length ? o.array() : java.util.Arrays.copyOf(o.array(), o.size());
    long seq;
    synchronized (syncSignal) {
      if (failure != null) {
        throw failure;
      }
      if (!running) {
        throw new IOException("the collector spool is closed");
      }
      seq = ++appendSeq;
      queued.add(new Batch(seq, frames, o.size(), received, lengths));
      syncSignal.notify();
    }
    return seq;
  }

  /**
   * Writes every queued batch to the segment file (rotating when it is full) and adds its
   * records to the pending queue; called with {@link #lock} held, by the fsync thread and
   * before an erasure seals the segment.
   */
  private void writeQueued() throws IOException {
    try {
      writeQueuedOnce();
    } catch (IOException e) {
      // a batch taken off the queue may now be half written: nothing after it may count as
      // durable (a later fsync would answer 200 for records a replay stops short of), so the
      // spool fails for good, whoever called — the fsync thread or an erasure sealing segments
      fail(e);
      throw e;
    }
  }

  private void writeQueuedOnce() throws IOException {
    while (true) {
      Batch b;
      synchronized (syncSignal) {
        b = queued.poll();
      }
      if (b == null) {
        return;
      }
      if (currentOffset > segmentBytes) {
        rotate();
      }
      ByteBuffer buf = ByteBuffer.wrap(b.frames(), 0, b.size());
      while (buf.hasRemaining()) {
        current.write(buf);
      }
      long pos = currentOffset;
      int at = 0;
      for (int i = 0; i < b.lengths().length; i++) {
        int len = b.lengths()[i];
        pos += 8 + len;
        pending.add(new Entry(b.seq(), currentSegment, pos, len, false, b.received()[i], b.frames(), at + 8, null,
            8 + len + ENTRY_BYTES));
        at += 8 + len;
      }
      currentOffset = pos;
      pendingBytes += b.size() + (long) b.lengths().length * ENTRY_BYTES;
      writtenSeq = b.seq();
      metrics.spooled(b.size());
    }
  }

  private void rotate() throws IOException {
    current.force(false);
    current.close();
    currentSegment++;
    currentOffset = 0;
    current = FileChannel.open(segmentPath(currentSegment), StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
  }

  /**
   * Blocks until every append up to {@code seq} is fsync'd. Requests park on their own and
   * are unparked by the fsync thread, rather than all waking on one monitor and queueing to
   * re-enter it after every fsync.
   */
  public void awaitDurable(long seq, long timeoutMs) throws IOException, InterruptedException {
    if (durableSeq >= seq) {
      return;
    }
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
    Thread me = Thread.currentThread();
    durableWaiters.add(me);
    try {
      while (durableSeq < seq) {
        if (failure != null) {
          throw failure;
        }
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          throw new IOException("the spool did not become durable within " + timeoutMs + " ms");
        }
        LockSupport.parkNanos(this, left);
        if (Thread.interrupted()) {
          throw new InterruptedException();
        }
      }
    } finally {
      durableWaiters.remove(me);
    }
  }

  /** Wakes every request waiting for durability (each checks whether the fsync covered it). */
  private void wakeDurableWaiters() {
    for (Thread t : durableWaiters) {
      LockSupport.unpark(t);
    }
    synchronized (durableSignal) {
      durableSignal.notifyAll(); // the flusher
    }
  }

  private void fail(IOException e) {
    if (failure == null) {
      LOG.error("collector spool: write or fsync failed; refusing new events", e);
      failure = e;
    }
    wakeDurableWaiters();
  }

  private void syncLoop() {
    while (true) {
      synchronized (syncSignal) {
        while (appendSeq == durableSeq && running) {
          try {
            syncSignal.wait();
          } catch (InterruptedException e) {
            return;
          }
        }
      }
      long target;
      FileChannel ch;
      try {
        synchronized (lock) {
          writeQueued();
          target = writtenSeq;
          ch = current;
        }
      } catch (IOException e) {
        return; // writeQueued failed the spool
      }
      if (target == durableSeq) {
        if (!running) {
          return;
        }
        continue;
      }
      try {
        ch.force(false);
      } catch (ClosedChannelException rotated) {
        continue; // rotation forced the old segment; force the new one
      } catch (IOException e) {
        fail(e);
        return;
      }
      metrics.fsynced();
      durableSeq = target;
      wakeDurableWaiters();
    }
  }

  /**
   * Takes up to {@code max} durable records off the queue, waiting up to {@code waitMs}
   * for the first one; the caller must {@link #checkpoint} them once stored.
   */
  List<Entry> takeDurable(int max, long waitMs) throws InterruptedException {
    List<Entry> out = new ArrayList<>();
    long deadline = System.currentTimeMillis() + waitMs;
    while (true) {
      synchronized (lock) {
        while (!pending.isEmpty() && pending.peek().seq() <= durableSeq && out.size() < max) {
          out.add(pending.poll());
        }
      }
      long left = deadline - System.currentTimeMillis();
      if (!out.isEmpty() || left <= 0) {
        return out;
      }
      synchronized (durableSignal) {
        if (!hasDurable()) {
          durableSignal.wait(left);
        }
      }
    }
  }

  private boolean hasDurable() {
    synchronized (lock) {
      return !pending.isEmpty() && pending.peek().seq() <= durableSeq;
    }
  }

  /**
   * Records that everything up to {@code last} is in the warehouse; older segments are deleted.
   * {@code flushedBytes} is the sum of the flushed entries' {@link Entry#heldBytes}.
   */
  void checkpoint(Entry last, long flushedBytes) throws IOException {
    Path tmp = dir.resolve("checkpoint.tmp");
    try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
        StandardOpenOption.TRUNCATE_EXISTING)) {
      ch.write(ByteBuffer.wrap((last.segment() + " " + last.endOffset() + "\n").getBytes()));
      ch.force(true);
    }
    try {
      Files.move(tmp, dir.resolve("checkpoint"), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (AtomicMoveNotSupportedException e) {
      Files.move(tmp, dir.resolve("checkpoint"), StandardCopyOption.REPLACE_EXISTING);
    }
    synchronized (lock) {
      pendingBytes -= flushedBytes;
      checkpointedSeq = Math.max(checkpointedSeq, last.seq());
      lock.notifyAll();
    }
    for (long seg : segments()) {
      if (seg < last.segment()) {
        Files.deleteIfExists(segmentPath(seg));
      }
    }
  }

  /**
   * For erasure: closes the current segment (new appends go to a fresh one), waits until the
   * flusher has stored everything in the closed segments, then deletes them and returns the
   * records they held. Records mentioning a forgotten person are then only in the warehouse,
   * where the erasure deletes them.
   */
  List<Object> drainClosedSegments(long timeoutMs) throws IOException, InterruptedException {
    long sealedSeq;
    long firstOpen;
    synchronized (lock) {
      writeQueued(); // what was appended before the erasure belongs to the segments it seals
      if (currentOffset > 0) {
        rotate();
      }
      sealedSeq = writtenSeq;
      firstOpen = currentSegment;
      long deadline = System.currentTimeMillis() + timeoutMs;
      while (checkpointedSeq < sealedSeq || pending.stream().anyMatch(e -> e.segment() < firstOpen)) {
        long left = deadline - System.currentTimeMillis();
        if (left <= 0) {
          throw new IOException("the collector spool did not flush within " + timeoutMs + " ms");
        }
        lock.wait(Math.min(left, 50));
      }
    }
    List<Object> records = new ArrayList<>();
    for (long seg : segments()) {
      if (seg < firstOpen) {
        byte[] all;
        try {
          all = Files.readAllBytes(segmentPath(seg));
        } catch (java.nio.file.NoSuchFileException gone) {
          continue; // a checkpoint deleted it meanwhile
        }
        ByteBuffer b = ByteBuffer.wrap(all);
        int pos = 0;
        while (pos + 8 <= all.length) {
          int len = b.getInt(pos);
          if (len <= 0 || pos + 8 + len > all.length) {
            break;
          }
          records.add(SpoolCodec.decode(ByteBuffer.wrap(all, pos + 8, len).slice()));
          pos += 8 + len;
        }
        Files.deleteIfExists(segmentPath(seg));
      }
    }
    return records;
  }

  /** The records read back at open that are still queued (for rebuilding the dedup index). */
  public List<Object> replayedRecords() {
    synchronized (lock) {
      return pending.stream().filter(Entry::replayed).map(Entry::record).toList();
    }
  }

  /** Heap held by records appended (or replayed) but not yet in the warehouse ({@link Entry#heldBytes}). */
  public long pendingBytes() {
    return pendingBytes;
  }

  /** Records waiting in the queue (not yet taken by the flusher). */
  public int queued() {
    synchronized (lock) {
      return pending.size();
    }
  }

  /** The oldest received time among queued records, or -1. */
  public long oldestQueuedReceived() {
    synchronized (lock) {
      Entry e = pending.peek();
      return e == null ? -1 : e.received();
    }
  }

  /** Whether every write and fsync so far succeeded (after a failure the spool refuses new records). */
  public boolean healthy() {
    return failure == null;
  }

  @Override
  public void close() {
    running = false;
    synchronized (syncSignal) {
      syncSignal.notifyAll();
    }
    try {
      syncer.join(10_000);
      synchronized (lock) {
        // a request may have queued its batch after the fsync thread saw running = false
        writeQueued();
        current.force(false);
        durableSeq = writtenSeq;
      }
      wakeDurableWaiters();
    } catch (IOException | InterruptedException e) {
      LOG.warn("collector spool: close: {}", e.toString());
    } finally {
      // the segment and the directory lock are released even when the last write failed, so the
      // spool can be opened again (what was not fsynced was never acknowledged)
      try {
        synchronized (lock) {
          current.close();
        }
        lockFile.close();
      } catch (IOException e) {
        LOG.warn("collector spool: close: {}", e.toString());
      }
    }
  }
}
