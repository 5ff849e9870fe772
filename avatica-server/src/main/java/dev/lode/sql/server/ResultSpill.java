package dev.lode.sql.server;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;

/**
 * The part of one statement's result that did not fit its memory budget, written to an
 * owner-only temporary file as it is read and served back from it frame by frame, in order; the
 * file is deleted when the result is fetched to its end, dropped or its statement closed.
 */
final class ResultSpill implements AutoCloseable {
  /** Rows between two resets of the object stream (its back-reference table would grow with the file). */
  private static final int RESET_EVERY = 512;

  private final Path file;
  private ObjectOutputStream out;
  private ObjectInputStream in;
  private long written;
  private long read;

  private ResultSpill(Path file, ObjectOutputStream out) {
    this.file = file;
    this.out = out;
  }

  /** A new, empty spill file in {@code dir}, readable by this process's user only. */
  static ResultSpill create(Path dir) throws IOException {
    Files.createDirectories(dir);
    Path file;
    try {
      file = Files.createTempFile(dir, "result-", ".spill",
          PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    } catch (UnsupportedOperationException notPosix) {
      file = Files.createTempFile(dir, "result-", ".spill");
    }
    return new ResultSpill(file, new ObjectOutputStream(new BufferedOutputStream(Files.newOutputStream(file), 1 << 16)));
  }

  /** Deletes the spill files a previous run of the server left in {@code dir} (their results died with it). */
  static void clear(Path dir) {
    if (!Files.isDirectory(dir)) {
      return;
    }
    try (var files = Files.newDirectoryStream(dir, "result-*.spill")) {
      for (Path f : files) {
        Files.deleteIfExists(f);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot clear the result spill directory " + dir + ": " + e.getMessage(), e);
    }
  }

  /** Appends one row (values as {@link ResultFrames} makes them: numbers, strings, lists, null). */
  void write(Object[] row) throws IOException {
    for (int i = 0; i < row.length; i++) {
      if (row[i] != null && !(row[i] instanceof Serializable)) {
        row[i] = String.valueOf(row[i]);
      }
    }
    out.writeUnshared(row);
    if (++written % RESET_EVERY == 0) {
      out.reset();
    }
  }

  /** Rows written and not yet read back. */
  long remaining() {
    return written - read;
  }

  /** Ends writing; reading starts at the first row. */
  void finish() throws IOException {
    out.close();
    out = null;
    in = new ObjectInputStream(new BufferedInputStream(Files.newInputStream(file), 1 << 16));
  }

  /** The next {@code n} rows at most, in the order they were written. */
  List<Object> next(int n) {
    List<Object> rows = new ArrayList<>(Math.min(n, 4096));
    try {
      while (rows.size() < n && read < written) {
        rows.add(in.readUnshared());
        read++;
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the spilled result: " + e.getMessage(), e);
    } catch (ClassNotFoundException e) {
      throw new IllegalStateException("cannot read the spilled result: " + e.getMessage(), e);
    }
    return rows;
  }

  /** Deletes the file. */
  @Override
  public void close() {
    try {
      if (out != null) {
        out.close();
      }
      if (in != null) {
        in.close();
      }
    } catch (IOException ignored) {
      // the file goes either way
    }
    try {
      Files.deleteIfExists(file);
    } catch (IOException ignored) {
      // a leftover is removed when the server starts next
    }
  }
}
