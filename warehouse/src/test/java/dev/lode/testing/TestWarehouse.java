package dev.lode.testing;

import dev.lode.config.LodeConfig;
import dev.lode.warehouse.Warehouse;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * The warehouse integration tests run against: the embedded engine over a fresh data
 * directory under {@code target/}, or — with {@code lode.warehouse.url} (env
 * {@code LODE_WAREHOUSE_URL}) set — a ClickHouse server, in a database of its own; with
 * {@code lode.warehouse.cluster} (env {@code LODE_WAREHOUSE_CLUSTER}) too, a cluster, migrated
 * with the cluster DDL (docs/scale-out.md). Both come from the same layered configuration as Lode's.
 * One per test JVM, because chDB allows one data directory per process.
 */
public final class TestWarehouse {
  private static Warehouse shared;
  private static LodeConfig config;

  private TestWarehouse() {
  }

  /** The shared warehouse, migrated; closed when the JVM exits. */
  public static synchronized Warehouse get() {
    if (shared == null) {
      shared = Warehouse.open(config());
      Runtime.getRuntime().addShutdownHook(new Thread(shared::close));
    }
    return shared;
  }

  /**
   * Lode's tables in a database of their own on the shared engine, for a suite whose
   * answers depend on every row in the warehouse (recommendations, evaluations).
   */
  public static Warehouse isolated(String name) {
    return get().inDatabase(get().database() + "_" + name);
  }

  /**
   * The configuration tests use, the same for the whole JVM: external if configured, else
   * embedded over a fresh directory under target/.
   */
  public static synchronized LodeConfig config() {
    if (config == null) {
      config = newConfig();
    }
    return config;
  }

  private static LodeConfig newConfig() {
    Map<String, String> o = new HashMap<>();
    // no demo data and no background identity runs in tests: they load and resolve what they need
    o.put("lode.demo.enabled", "false");
    o.put("lode.identity.interval-seconds", "0");
    o.put("lode.tags.refresh-interval-seconds", "0");
    // no background recommendation-list refresher either: the tests of served lists run their own
    o.put("lode.recommend.serving.interval-ms", "0");
    // nor background model rebuilds (10 s after a server starts, then every 15 min): the tests of models
    // build their own, and a rebuild over the whole shared warehouse (the trained model too) took the CPU
    // from whichever tests ran meanwhile
    o.put("lode.recommend.refresh-minutes", "0");
    // the model's clock is the current time unless a test sets its own (the default, auto, follows the data)
    o.put("lode.model.as-of", "now");
    LodeConfig base = LodeConfig.load();
    if (base.get("lode.warehouse.url").isPresent()) {
      o.put("lode.warehouse.database", base.get("lode.warehouse.database", "lode") + "_test");
    } else {
      o.put("lode.data.dir", freshDir("warehouse").toString());
    }
    return LodeConfig.of(o);
  }

  /** True when the tests run against an external ClickHouse server. */
  public static boolean external() {
    return LodeConfig.load().get("lode.warehouse.url").isPresent();
  }

  /** A new, empty directory under target/test-data. */
  public static Path freshDir(String name) {
    try {
      Path root = Path.of("target", "test-data").toAbsolutePath();
      Files.createDirectories(root);
      return Files.createTempDirectory(root, name + "-");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
