package dev.lode.engine;

import java.nio.file.Path;

/**
 * How to start the embedded engine: where its data lives, which library to load
 * (null = fetch the pinned chDB package into {@code cacheRoot}), how many engine
 * sessions serve requests at once, and the loopback port and credentials of its
 * ClickHouse HTTP endpoint (port 0 = any free port).
 */
public record EngineConfig(Path dataDir, Path library, Path cacheRoot, String npmRegistry, int sessions,
                           int port, String user, String password) {

  public static final String DEFAULT_REGISTRY = "https://registry.npmjs.org";

  /** Defaults: fetched library, per-user cache, four sessions, any free port. */
  public static EngineConfig defaults(Path dataDir, String user, String password) {
    return new EngineConfig(dataDir, null, ChdbLibraryFetcher.defaultCacheRoot(), DEFAULT_REGISTRY, 4, 0, user, password);
  }

  public EngineConfig withLibrary(Path lib) {
    return new EngineConfig(dataDir, lib, cacheRoot, npmRegistry, sessions, port, user, password);
  }

  public EngineConfig withPort(int p) {
    return new EngineConfig(dataDir, library, cacheRoot, npmRegistry, sessions, p, user, password);
  }

  public EngineConfig withSessions(int n) {
    return new EngineConfig(dataDir, library, cacheRoot, npmRegistry, n, port, user, password);
  }

  public EngineConfig withRegistry(String r) {
    return new EngineConfig(dataDir, library, cacheRoot, r, sessions, port, user, password);
  }

  public EngineConfig withCacheRoot(Path c) {
    return new EngineConfig(dataDir, library, c, npmRegistry, sessions, port, user, password);
  }
}
