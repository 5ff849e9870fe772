package dev.lode.engine;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import java.util.regex.Pattern;

/**
 * One chDB connection (one engine session). It runs one statement at a time; the
 * {@link EmbeddedEngine} pool hands it to one request at a time and restores its
 * session state (current database, settings) between requests.
 */
final class ChdbConnection implements AutoCloseable {
  private static final Pattern IDENTIFIER = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

  private final ChdbLibrary lib;
  private final MemorySegment handle;
  private final MemorySegment conn;
  private String currentDatabase = "default";
  private boolean broken;

  ChdbConnection(ChdbLibrary lib, MemorySegment handle) {
    this.lib = lib;
    this.handle = handle;
    this.conn = handle.reinterpret(ValueLayout.ADDRESS.byteSize()).get(ValueLayout.ADDRESS, 0);
  }

  /**
   * Runs a statement and streams its result to {@code sink}. Returns the statement's
   * stats; throws {@link EngineException} with the engine's text on failure. Settings
   * apply to this statement only.
   */
  ResultStats execute(Statement st, ResultSink sink) throws IOException {
    for (String name : st.settings().keySet()) {
      identifier(name, "setting");
    }
    useDatabase(st.database());
    try {
      for (var e : st.settings().entrySet()) {
        runQuietly("SET " + identifier(e.getKey(), "setting") + " = " + literal(e.getValue()));
      }
      if (st.insertData() != null) {
        return executeStreamingInsert(st);
      }
      ChunkFraming framing = ChunkFraming.of(st.format());
      return st.hasInlineData() || framing == null || !isReadQuery(st.sql())
          ? executeMaterialized(st, sink) : executeStreaming(st, framing, sink);
    } finally {
      for (String name : st.settings().keySet()) {
        try {
          runQuietly("SET " + name + " = DEFAULT");
        } catch (EngineException e) {
          broken = true; // e.g. readonly=1 forbids changing it back: retire this session
        }
      }
    }
  }

  private ResultStats executeMaterialized(Statement st, ResultSink sink) throws IOException {
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment sql = arena.allocateFrom(ValueLayout.JAVA_BYTE, st.sql());
      MemorySegment format = arena.allocateFrom(ValueLayout.JAVA_BYTE, st.format().getBytes(StandardCharsets.US_ASCII));
      MemorySegment result = lib.query(conn, sql, format, ChdbLibrary.Params.of(arena, st.params()));
      try {
        String error = lib.error(result);
        if (error != null) {
          throw new EngineException(error);
        }
        MemorySegment bytes = lib.buffer(result);
        if (bytes.byteSize() > 0) {
          sink.accept(bytes);
        }
        return lib.stats(result);
      } finally {
        lib.destroy(result);
      }
    }
  }

  private ResultStats executeStreamingInsert(Statement st) throws IOException {
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment sql = arena.allocateFrom(ValueLayout.JAVA_BYTE, st.sql());
      MemorySegment format = arena.allocateFrom(ValueLayout.JAVA_BYTE, st.insertFormat().getBytes(StandardCharsets.US_ASCII));
      MemorySegment stream = lib.streamInsert(conn, sql, format);
      try {
        String error = lib.insertError(stream);
        if (error != null) {
          throw new EngineException(error);
        }
        byte[] buf = new byte[1 << 20];
        MemorySegment chunk = arena.allocate(buf.length);
        int n;
        while ((n = st.insertData().readNBytes(buf, 0, buf.length)) > 0) {
          MemorySegment.copy(buf, 0, chunk, ValueLayout.JAVA_BYTE, 0, n);
          if (!lib.streamAppend(stream, chunk.asSlice(0, n))) {
            String e = lib.insertError(stream);
            throw new EngineException(e == null ? "Code: 1000. DB::Exception: insert stream failed" : e);
          }
        }
        MemorySegment result = lib.streamDone(stream);
        try {
          String e = lib.error(result);
          if (e != null) {
            throw new EngineException(e);
          }
          return lib.stats(result);
        } finally {
          lib.destroy(result);
        }
      } finally {
        lib.destroyInsertStream(stream); // cancels first if not finished
      }
    }
  }

  private ResultStats executeStreaming(Statement st, ChunkFraming framing, ResultSink sink) throws IOException {
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment sql = arena.allocateFrom(ValueLayout.JAVA_BYTE, st.sql());
      MemorySegment format = arena.allocateFrom(ValueLayout.JAVA_BYTE, st.format().getBytes(StandardCharsets.US_ASCII));
      MemorySegment stream = lib.streamQuery(conn, sql, format, ChdbLibrary.Params.of(arena, st.params()));
      boolean finished = false;
      try {
        String error = lib.error(stream);
        if (error != null) {
          finished = true;
          broken = true; // chDB leaves a failed stream's output behind for the session's next stream
          throw new EngineException(error);
        }
        long chunks = 0;
        long rows = 0;
        long bytes = 0;
        double elapsed = 0;
        while (true) {
          MemorySegment chunk = lib.streamFetch(conn, stream);
          try {
            String chunkError = lib.error(chunk);
            if (chunkError != null) {
              finished = true;
              broken = true; // see above: retire the session rather than leak the failed stream's output
              throw new EngineException(chunkError);
            }
            MemorySegment data = lib.buffer(chunk);
            if (data.byteSize() == 0) {
              finished = true;
              return new ResultStats(rows, bytes, 0, 0, elapsed);
            }
            ResultStats s = lib.stats(chunk);
            rows += s.rowsRead();
            bytes += s.bytesRead();
            elapsed = Math.max(elapsed, s.elapsedSeconds());
            if (chunks++ == 0) {
              sink.accept(data);
            } else {
              long header = framing.headerLength(data);
              if (header < data.byteSize()) {
                sink.accept(data.asSlice(header));
              }
            }
          } finally {
            lib.destroy(chunk);
          }
        }
      } finally {
        if (!finished) {
          lib.streamCancel(conn, stream); // the client went away mid-result
          broken = true;
        }
        lib.destroy(stream);
      }
    }
  }

  /** Read queries stream chunk by chunk; everything else (DDL, INSERT, SET) runs in one call. */
  static boolean isReadQuery(byte[] sql) {
    int i = 0;
    // skip whitespace, comments and opening parentheses
    while (i < sql.length) {
      byte b = sql[i];
      if (b == ' ' || b == '\n' || b == '\r' || b == '\t' || b == '(') {
        i++;
      } else if (b == '-' && i + 1 < sql.length && sql[i + 1] == '-') {
        while (i < sql.length && sql[i] != '\n') {
          i++;
        }
      } else if (b == '/' && i + 1 < sql.length && sql[i + 1] == '*') {
        i += 2;
        while (i + 1 < sql.length && !(sql[i] == '*' && sql[i + 1] == '/')) {
          i++;
        }
        i += 2;
      } else {
        break;
      }
    }
    int end = i;
    while (end < sql.length && Character.isLetter(sql[end])) {
      end++;
    }
    String keyword = new String(sql, i, end - i, StandardCharsets.US_ASCII).toUpperCase(java.util.Locale.ROOT);
    return keyword.equals("SELECT") || keyword.equals("WITH");
  }

  private void useDatabase(String database) throws IOException {
    String wanted = database == null || database.isEmpty() ? "default" : database;
    if (!wanted.equals(currentDatabase)) {
      runQuietly("USE " + identifier(wanted, "database"));
      currentDatabase = wanted;
    }
  }

  private void runQuietly(String sql) throws IOException {
    executeMaterialized(Statement.of(sql, "TSV"), chunk -> { });
  }

  private static String identifier(String name, String what) {
    if (!IDENTIFIER.matcher(name).matches()) {
      throw new EngineException("Code: 36. DB::Exception: invalid " + what + " name '" + name + "'. (BAD_ARGUMENTS)");
    }
    return "`" + name + "`";
  }

  private static String literal(String value) {
    return "'" + value.replace("\\", "\\\\").replace("'", "\\'") + "'";
  }

  @Override
  public void close() {
    lib.close(handle);
  }

  /** True once the session's state is in doubt (a failed or cancelled stream, settings that could not be reset); the pool then replaces it. */
  boolean broken() {
    return broken;
  }
}
