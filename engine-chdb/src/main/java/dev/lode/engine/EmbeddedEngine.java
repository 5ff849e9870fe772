package dev.lode.engine;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The ClickHouse engine running inside this JVM (chDB), with a pool of engine sessions.
 * Requests are pooled, not serialized: up to {@link EngineConfig#sessions()} statements
 * run at once, each on its own session; further requests wait for a free session. chDB
 * allows one data path per process, so a process opens at most one engine.
 */
public final class EmbeddedEngine implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(EmbeddedEngine.class);
  private static EmbeddedEngine open;

  private final ChdbLibrary lib;
  private final Path dataDir;
  private final BlockingQueue<ChdbConnection> idle;
  private final String version;
  private volatile boolean closed;

  private EmbeddedEngine(ChdbLibrary lib, Path dataDir, int sessions) {
    this.lib = lib;
    this.dataDir = dataDir;
    this.idle = new ArrayBlockingQueue<>(sessions);
    for (int i = 0; i < sessions; i++) {
      idle.add(connect());
    }
    this.version = lib.version();
  }

  /** Fetches (if needed), loads and connects the engine over {@code config.dataDir()}. */
  public static synchronized EmbeddedEngine start(EngineConfig config) {
    Path dataDir = config.dataDir().toAbsolutePath().normalize();
    if (open != null && !open.closed) {
      if (open.dataDir.equals(dataDir)) {
        throw new EngineUnavailableException("the embedded engine is already open in this process over " + dataDir);
      }
      throw new EngineUnavailableException("the embedded engine is already open over " + open.dataDir
          + "; chDB allows one data directory per process, so " + dataDir + " cannot be opened too.");
    }
    Path library = config.library();
    if (library == null) {
      ChdbPackage pkg = ChdbPackage.forCurrentPlatform().orElseThrow(() -> new EngineUnavailableException(
          "no chDB engine package is published for platform " + ChdbPackage.platformKey() + "; supported: "
              + ChdbPackage.SUPPORTED.keySet() + ". Fix: build libchdb.so for this platform and set"
              + " lode.engine.library, or point lode.warehouse.url at a ClickHouse server."));
      library = new ChdbLibraryFetcher(config.cacheRoot(), config.npmRegistry()).fetch(pkg);
    } else if (!Files.isRegularFile(library)) {
      throw new EngineUnavailableException("lode.engine.library points at " + library + ", which is not a file.");
    }
    try {
      Files.createDirectories(dataDir);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create the data directory " + dataDir, e);
    }
    ChdbLibrary lib = ChdbLibrary.load(library);
    lib.disableSignalHandlers();
    stopEngineAtExit(lib);
    EmbeddedEngine engine = new EmbeddedEngine(lib, dataDir, Math.max(1, config.sessions()));
    LOG.info("embedded ClickHouse {} over {} with {} sessions", engine.version, dataDir, config.sessions());
    open = engine;
    return engine;
  }

  private static boolean exitHookInstalled;
  /** What must finish with the engine still up when the JVM exits (a server flushing into it). */
  private static final java.util.List<Runnable> BEFORE_STOP_AT_EXIT = new java.util.concurrent.CopyOnWriteArrayList<>();

  /**
   * Runs {@code task} in the engine's exit hook before the engine stops: JVM shutdown hooks run
   * concurrently, so a task of its own hook could find the engine already gone.
   */
  public static void beforeStopAtExit(Runnable task) {
    BEFORE_STOP_AT_EXIT.add(task);
  }

  /**
   * At JVM exit, closes the open engine's sessions and stops the engine's threads before
   * the process runs its global destructors: left running, those threads race the
   * destructors and the exit ends in a SIGSEGV inside libchdb.
   */
  private static synchronized void stopEngineAtExit(ChdbLibrary lib) {
    if (exitHookInstalled) {
      return;
    }
    exitHookInstalled = true;
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      for (Runnable task : BEFORE_STOP_AT_EXIT) {
        try {
          task.run();
        } catch (RuntimeException e) {
          LOG.warn("at exit: {}", e.getMessage(), e);
        }
      }
      EmbeddedEngine engine;
      synchronized (EmbeddedEngine.class) {
        engine = open;
      }
      if (engine != null) {
        engine.closeWaiting(5_000);
      }
      // after a clean close no session is left and the library's own refusal to shut down again means nothing
      if (!lib.shutdown() && engine != null) {
        LOG.warn("the embedded engine did not stop cleanly at exit (a statement was still running)");
      }
    }, "lode-engine-shutdown"));
  }

  /** Closes, first waiting up to {@code millis} for sessions busy with a statement to come back. */
  private void closeWaiting(long millis) {
    long deadline = System.currentTimeMillis() + millis;
    while (idle.remainingCapacity() > 0 && System.currentTimeMillis() < deadline) {
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    close();
  }

  private ChdbConnection connect() {
    MemorySegment handle = lib.connect("clickhouse", "--path=" + dataDir);
    if (handle.equals(MemorySegment.NULL)) {
      throw new EngineUnavailableException("chDB refused to open " + dataDir
          + "; another process may be using this data directory (stop it, or choose another lode.data.dir).");
    }
    return new ChdbConnection(lib, handle);
  }

  /** The engine's version, e.g. {@code 26.7.3}. */
  public String version() {
    return version;
  }

  public Path dataDir() {
    return dataDir;
  }

  /**
   * Runs one statement on a free session, streaming the result to {@code sink}.
   * Engine errors come back as {@link EngineException}; the session stays usable.
   */
  public ResultStats execute(Statement statement, ResultSink sink) throws IOException, InterruptedException {
    if (closed) {
      throw new EngineException("Code: 1000. DB::Exception: the embedded engine is shut down.");
    }
    ChdbConnection c = idle.take();
    try {
      return c.execute(statement, sink);
    } finally {
      if (closed) {
        c.close(); // the engine closed while this statement ran
      } else {
        if (c.broken()) {
          c.close();
          c = connect();
        }
        idle.add(c);
      }
    }
  }

  /** Runs a statement and returns its whole result as text; for small results such as DDL and checks. */
  public String query(String sql) {
    StringBuilder out = new StringBuilder();
    try {
      execute(Statement.of(sql, "TabSeparated"), chunk -> out.append(new String(chunk.toArray(java.lang.foreign.ValueLayout.JAVA_BYTE),
          java.nio.charset.StandardCharsets.UTF_8)));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
    return out.toString();
  }

  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    ChdbConnection c;
    while ((c = idle.poll()) != null) {
      c.close();
    }
    synchronized (EmbeddedEngine.class) {
      if (open == this) {
        open = null;
      }
    }
  }
}
