package dev.lode.engine;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_DOUBLE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;
import java.nio.file.Path;

/**
 * Java FFM downcalls into chDB's C API ({@code chdb.h}); the only class that touches
 * native memory. Every method returns raw segments that {@link ChdbConnection} owns.
 */
final class ChdbLibrary {
  private static final Linker LINKER = Linker.nativeLinker();

  private final MethodHandle version;
  private final MethodHandle signalHandlersEnabled;
  private final MethodHandle connect;
  private final MethodHandle closeConn;
  private final MethodHandle queryWithParams;
  private final MethodHandle streamQueryWithParams;
  private final MethodHandle streamFetch;
  private final MethodHandle streamCancel;
  private final MethodHandle destroyResult;
  private final MethodHandle resultBuffer;
  private final MethodHandle resultLength;
  private final MethodHandle resultElapsed;
  private final MethodHandle resultRowsRead;
  private final MethodHandle resultBytesRead;
  private final MethodHandle resultRowsWritten;
  private final MethodHandle resultBytesWritten;
  private final MethodHandle resultError;
  private final MethodHandle streamInsert;
  private final MethodHandle streamAppend;
  private final MethodHandle streamDone;
  private final MethodHandle streamInsertError;
  private final MethodHandle destroyInsertStream;
  private final MethodHandle shutdown;

  private ChdbLibrary(SymbolLookup lib) {
    version = handle(lib, "chdb_version", FunctionDescriptor.of(ADDRESS));
    signalHandlersEnabled = handle(lib, "chdb_set_signal_handlers_enabled", FunctionDescriptor.ofVoid(JAVA_INT));
    connect = handle(lib, "chdb_connect", FunctionDescriptor.of(ADDRESS, JAVA_INT, ADDRESS));
    closeConn = handle(lib, "chdb_close_conn", FunctionDescriptor.ofVoid(ADDRESS));
    // conn, query, query_len, format, format_len, names, name_lens, values, value_lens, count
    FunctionDescriptor withParams = FunctionDescriptor.of(ADDRESS, ADDRESS, ADDRESS, JAVA_LONG, ADDRESS, JAVA_LONG,
        ADDRESS, ADDRESS, ADDRESS, ADDRESS, JAVA_LONG);
    queryWithParams = handle(lib, "chdb_query_with_params_n", withParams);
    streamQueryWithParams = handle(lib, "chdb_stream_query_with_params_n", withParams);
    streamFetch = handle(lib, "chdb_stream_fetch_result", FunctionDescriptor.of(ADDRESS, ADDRESS, ADDRESS));
    streamCancel = handle(lib, "chdb_stream_cancel_query", FunctionDescriptor.ofVoid(ADDRESS, ADDRESS));
    destroyResult = handle(lib, "chdb_destroy_query_result", FunctionDescriptor.ofVoid(ADDRESS));
    resultBuffer = handle(lib, "chdb_result_buffer", FunctionDescriptor.of(ADDRESS, ADDRESS));
    resultLength = handle(lib, "chdb_result_length", FunctionDescriptor.of(JAVA_LONG, ADDRESS));
    resultElapsed = handle(lib, "chdb_result_elapsed", FunctionDescriptor.of(JAVA_DOUBLE, ADDRESS));
    resultRowsRead = handle(lib, "chdb_result_rows_read", FunctionDescriptor.of(JAVA_LONG, ADDRESS));
    resultBytesRead = handle(lib, "chdb_result_bytes_read", FunctionDescriptor.of(JAVA_LONG, ADDRESS));
    resultRowsWritten = handle(lib, "chdb_result_rows_written", FunctionDescriptor.of(JAVA_LONG, ADDRESS));
    resultBytesWritten = handle(lib, "chdb_result_bytes_written", FunctionDescriptor.of(JAVA_LONG, ADDRESS));
    resultError = handle(lib, "chdb_result_error", FunctionDescriptor.of(ADDRESS, ADDRESS));
    streamInsert = handle(lib, "chdb_stream_insert_n", FunctionDescriptor.of(ADDRESS, ADDRESS, ADDRESS, JAVA_LONG, ADDRESS, JAVA_LONG));
    streamAppend = handle(lib, "chdb_stream_append", FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, JAVA_LONG));
    streamDone = handle(lib, "chdb_stream_done", FunctionDescriptor.of(ADDRESS, ADDRESS));
    streamInsertError = handle(lib, "chdb_stream_insert_error", FunctionDescriptor.of(ADDRESS, ADDRESS));
    destroyInsertStream = handle(lib, "chdb_destroy_insert_stream", FunctionDescriptor.ofVoid(ADDRESS));
    shutdown = handle(lib, "chdb_shutdown", FunctionDescriptor.of(JAVA_INT));
  }

  /**
   * Stops every engine thread; true on success. Must run before the process's own
   * teardown (global destructors), which otherwise races the engine's threads and crashes
   * the exit. Fails while any connection is open; afterwards the library is unusable.
   */
  boolean shutdown() {
    return (int) invoke(shutdown) == 0;
  }

  /** Begins a streaming INSERT ({@code query} without FORMAT or data); never NULL, check {@link #insertError}. */
  MemorySegment streamInsert(MemorySegment conn, MemorySegment query, MemorySegment format) {
    return (MemorySegment) invoke(streamInsert, conn, query, query.byteSize(), format, format.byteSize());
  }

  /** Appends one chunk; false when the stream already failed. */
  boolean streamAppend(MemorySegment stream, MemorySegment data) {
    return (int) invoke(streamAppend, stream, data, data.byteSize()) == 0;
  }

  /** Finishes the INSERT; a result carrying written rows or the error. */
  MemorySegment streamDone(MemorySegment stream) {
    return (MemorySegment) invoke(streamDone, stream);
  }

  String insertError(MemorySegment stream) {
    MemorySegment e = (MemorySegment) invoke(streamInsertError, stream);
    return e.equals(MemorySegment.NULL) ? null : e.reinterpret(Integer.MAX_VALUE).getString(0);
  }

  void destroyInsertStream(MemorySegment stream) {
    invoke(destroyInsertStream, stream);
  }

  /** Loads the shared library; the process keeps it mapped until exit. */
  static ChdbLibrary load(Path library) {
    try {
      return new ChdbLibrary(SymbolLookup.libraryLookup(library, Arena.global()));
    } catch (IllegalArgumentException | UnsatisfiedLinkError e) {
      throw new EngineUnavailableException("cannot load the engine library " + library + ": " + e.getMessage()
          + ". Fix: delete it so Lode fetches it again, or point lode.engine.library at a working libchdb.so.", e);
    } catch (IllegalCallerException e) {
      throw new EngineUnavailableException("Java refused native access; run with --enable-native-access=ALL-UNNAMED"
          + " (bin/lode does this).", e);
    }
  }

  private static MethodHandle handle(SymbolLookup lib, String name, FunctionDescriptor descriptor) {
    MemorySegment symbol = lib.find(name).orElseThrow(() -> new EngineUnavailableException(
        "the engine library has no symbol " + name + "; it is not the chDB " + ChdbPackage.VERSION + " Lode expects."));
    return LINKER.downcallHandle(symbol, descriptor);
  }

  String version() {
    return ((MemorySegment) invoke(version)).reinterpret(64).getString(0);
  }

  /** chDB must not install process-wide signal handlers in a JVM, which uses signals itself. */
  void disableSignalHandlers() {
    invoke(signalHandlersEnabled, 0);
  }

  /** Returns the {@code chdb_connection *} handle, or NULL. */
  MemorySegment connect(String... args) {
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment argv = arena.allocate(ADDRESS, args.length);
      for (int i = 0; i < args.length; i++) {
        argv.setAtIndex(ADDRESS, i, arena.allocateFrom(args[i]));
      }
      return (MemorySegment) invoke(connect, args.length, argv);
    }
  }

  void close(MemorySegment connHandle) {
    invoke(closeConn, connHandle);
  }

  MemorySegment query(MemorySegment conn, MemorySegment sql, MemorySegment format, Params params) {
    return (MemorySegment) invoke(queryWithParams, conn, sql, sql.byteSize(), format, format.byteSize(),
        params.names(), params.nameLengths(), params.values(), params.valueLengths(), params.count());
  }

  MemorySegment streamQuery(MemorySegment conn, MemorySegment sql, MemorySegment format, Params params) {
    return (MemorySegment) invoke(streamQueryWithParams, conn, sql, sql.byteSize(), format, format.byteSize(),
        params.names(), params.nameLengths(), params.values(), params.valueLengths(), params.count());
  }

  MemorySegment streamFetch(MemorySegment conn, MemorySegment stream) {
    return (MemorySegment) invoke(streamFetch, conn, stream);
  }

  void streamCancel(MemorySegment conn, MemorySegment stream) {
    invoke(streamCancel, conn, stream);
  }

  void destroy(MemorySegment result) {
    invoke(destroyResult, result);
  }

  /** The result's bytes as a segment valid until {@link #destroy}. */
  MemorySegment buffer(MemorySegment result) {
    long n = (long) invoke(resultLength, result);
    if (n == 0) {
      return MemorySegment.NULL;
    }
    return ((MemorySegment) invoke(resultBuffer, result)).reinterpret(n);
  }

  /** The error text, or null when the result succeeded. */
  String error(MemorySegment result) {
    MemorySegment e = (MemorySegment) invoke(resultError, result);
    return e.equals(MemorySegment.NULL) ? null : e.reinterpret(Integer.MAX_VALUE).getString(0);
  }

  ResultStats stats(MemorySegment result) {
    return new ResultStats((long) invoke(resultRowsRead, result), (long) invoke(resultBytesRead, result),
        (long) invoke(resultRowsWritten, result), (long) invoke(resultBytesWritten, result),
        (double) invoke(resultElapsed, result));
  }

  private static Object invoke(MethodHandle h, Object... args) {
    try {
      return h.invokeWithArguments(args);
    } catch (RuntimeException | Error e) {
      throw e;
    } catch (Throwable t) {
      throw new IllegalStateException(t);
    }
  }

  /** Named query parameters ({@code {name:Type}}) laid out for the C API. */
  record Params(MemorySegment names, MemorySegment nameLengths, MemorySegment values, MemorySegment valueLengths, long count) {
    static Params of(Arena arena, java.util.Map<String, String> params) {
      if (params.isEmpty()) {
        return new Params(MemorySegment.NULL, MemorySegment.NULL, MemorySegment.NULL, MemorySegment.NULL, 0);
      }
      int n = params.size();
      MemorySegment names = arena.allocate(ADDRESS, n);
      MemorySegment values = arena.allocate(ADDRESS, n);
      MemorySegment nameLens = arena.allocate(JAVA_LONG, n);
      MemorySegment valueLens = arena.allocate(JAVA_LONG, n);
      int i = 0;
      for (var e : params.entrySet()) {
        byte[] k = e.getKey().getBytes(java.nio.charset.StandardCharsets.UTF_8);
        byte[] v = e.getValue().getBytes(java.nio.charset.StandardCharsets.UTF_8);
        names.setAtIndex(ADDRESS, i, arena.allocateFrom(java.lang.foreign.ValueLayout.JAVA_BYTE, k));
        values.setAtIndex(ADDRESS, i, arena.allocateFrom(java.lang.foreign.ValueLayout.JAVA_BYTE, v));
        nameLens.setAtIndex(JAVA_LONG, i, k.length);
        valueLens.setAtIndex(JAVA_LONG, i, v.length);
        i++;
      }
      return new Params(names, nameLens, values, valueLens, n);
    }
  }
}
