package dev.lode.load;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;

/**
 * Reads a delimited file on a thread of its own, handing records over in chunks, so that
 * decompressing and splitting the file overlaps mapping and serializing on the loading
 * thread (about a third of a load's time on the Online Retail file).
 */
final class PrefetchingReader implements RecordReader {
  private static final int CHUNK = 4096;

  /** A run of records copied out of the underlying reader. */
  private static final class Chunk {
    final String[][] fields = new String[CHUNK][];
    final String[] raw = new String[CHUNK];
    final long[] line = new long[CHUNK];
    int size;
    Throwable failure;
    boolean last;
  }

  private final RecordReader in;
  private final BlockingQueue<Chunk> queue = new ArrayBlockingQueue<>(8);
  private final Thread thread;
  private Chunk current;
  private int pos = -1;
  private volatile boolean closed;

  PrefetchingReader(RecordReader in) {
    this.in = in;
    this.thread = Thread.ofPlatform().name("lode-load-reader").daemon().start(this::produce);
  }

  private void produce() {
    try {
      while (!closed) {
        Chunk c = new Chunk();
        while (c.size < CHUNK && in.next()) {
          int w = in.width();
          String[] f = new String[w];
          for (int i = 0; i < w; i++) {
            f[i] = in.get(i);
          }
          c.fields[c.size] = f;
          c.raw[c.size] = in.raw();
          c.line[c.size] = in.line();
          c.size++;
        }
        c.last = c.size < CHUNK;
        queue.put(c);
        if (c.last) {
          return;
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (IOException | RuntimeException e) {
      Chunk c = new Chunk();
      c.failure = e;
      c.last = true;
      try {
        queue.put(c);
      } catch (InterruptedException ie) {
        Thread.currentThread().interrupt();
      }
    }
  }

  @Override
  public List<String> columns() {
    return in.columns();
  }

  @Override
  public int indexOf(String name) {
    return in.indexOf(name);
  }

  @Override
  public boolean next() throws IOException {
    while (current == null || ++pos >= current.size) {
      if (current != null && current.last) {
        return false;
      }
      try {
        current = queue.take();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IOException("interrupted while reading", e);
      }
      pos = -1;
      if (current.failure != null) {
        if (current.failure instanceof IOException io) {
          throw io;
        }
        throw new UncheckedIOException(new IOException(current.failure.getMessage(), current.failure));
      }
    }
    return true;
  }

  @Override
  public String get(int index) {
    String[] f = current.fields[pos];
    return index < f.length ? f[index] : "";
  }

  @Override
  public String get(String name) {
    int i = in.indexOf(name);
    return i < 0 ? "" : get(i);
  }

  @Override
  public long line() {
    return current.line[pos];
  }

  @Override
  public String raw() {
    return current.raw[pos];
  }

  @Override
  public int width() {
    return current.fields[pos].length;
  }

  @Override
  public void close() throws IOException {
    closed = true;
    thread.interrupt();
    in.close();
  }
}
