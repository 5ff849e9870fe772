package dev.lode.app;

import dev.lode.simulate.BehaviorSimulator;

import dev.lode.config.LodeConfig;
import dev.lode.identity.IdentityResolver;
import dev.lode.load.BatchLoader;
import dev.lode.load.LoadKind;
import dev.lode.load.LoadProgress;
import dev.lode.load.LoadSummary;
import dev.lode.load.MappingSpec;
import dev.lode.warehouse.StepProgress;
import dev.lode.warehouse.Warehouse;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.LongConsumer;

/**
 * The demo dataset a first start loads: the Online Retail purchases from
 * {@code lode.demo.online-retail} (default {@code ../shared/data/online-retail/online-retail.csv.gz}
 * beside the Lode home) when that file exists, else a small synthetic sample in the same
 * layout bundled with Lode; then {@code lode.demo.size} simulated events (seed
 * {@code lode.demo.seed}) around those customers and items; then identity resolution.
 * A marker in the data directory makes it happen once.
 */
public final class DemoDataset {
  public static final String DEFAULT_ONLINE_RETAIL = "../shared/data/online-retail/online-retail.csv.gz";
  public static final long DEFAULT_SIZE = 1_000_000;

  private DemoDataset() {
  }

  /** Whether the demo should load on this start: enabled and not loaded before in this data directory. */
  public static boolean due(LodeConfig config) {
    return Boolean.parseBoolean(config.get("lode.demo.enabled", "true")) && !Files.exists(marker(config));
  }

  static Path marker(LodeConfig config) {
    return config.dataDir().resolve("demo.loaded");
  }

  /** Present while a process loads the demo: its pid and start time. */
  static Path loadingMarker(LodeConfig config) {
    return config.dataDir().resolve("run").resolve("demo.loading");
  }

  /** When the demo load in progress on this data directory started, if one is (in a live process). */
  public static Optional<String> loadingSince(LodeConfig config) {
    Path p = loadingMarker(config);
    if (!Files.isRegularFile(p)) {
      return Optional.empty();
    }
    return loadingField(p, 1);
  }

  /** The step the demo load in progress is at ("step 2 of 3: 1,000,000 simulated events"), if one is. */
  public static Optional<String> loadingStep(LodeConfig config) {
    return loadingField(loadingMarker(config), 2);
  }

  /** Field {@code i} of the loading marker (pid, start, step) when its process is alive. */
  private static Optional<String> loadingField(Path p, int i) {
    if (!Files.isRegularFile(p)) {
      return Optional.empty();
    }
    try {
      String[] f = Files.readString(p).strip().split(" ", 3);
      boolean alive = ProcessHandle.of(Long.parseLong(f[0])).map(ProcessHandle::isAlive).orElse(false);
      return alive && f.length > i ? Optional.of(f[i]) : Optional.empty();
    } catch (IOException | NumberFormatException e) {
      return Optional.empty();
    }
  }

  /** Records the step the load is at in its marker, for status and the warning on queries meanwhile. */
  private static void step(LodeConfig config, String step) throws IOException {
    Path p = loadingMarker(config);
    String[] f = Files.readString(p).strip().split(" ", 3);
    Files.writeString(p, f[0] + " " + f[1] + " " + step + "\n");
  }

  /** The demo's state on this data directory: loading, ready, or off (never loaded here). */
  public static String state(LodeConfig config) {
    return loadingSince(config).isPresent() ? "loading" : Files.exists(marker(config)) ? "ready" : "off";
  }

  /** The configured Online Retail file, if it exists. */
  public static Optional<Path> onlineRetail(LodeConfig config) {
    Path p = config.getPath("lode.demo.online-retail", DEFAULT_ONLINE_RETAIL);
    return Files.isRegularFile(p) ? Optional.of(p) : Optional.empty();
  }

  /**
   * Hears the demo load's three phases, each as it begins (it returns that phase's progress
   * listener) and as it ends, for a command line's progress bars; a server passes {@link #NONE}.
   */
  public interface Watcher {
    /** Hears nothing. */
    Watcher NONE = new Watcher() {
    };

    /** The purchases in {@code file} begin to load. */
    default LoadProgress orders(Path file) {
      return LoadProgress.NONE;
    }

    /** {@code events} simulated events begin to be written; the listener hears the count so far. */
    default LongConsumer simulation(long events) {
      return n -> { };
    }

    /** Identity resolution begins. */
    default StepProgress resolution() {
      return StepProgress.NONE;
    }

    /** The phase begun last ended, or failed. */
    default void end() {
    }
  }

  /** Loads the demo dataset; {@code log} receives one line per step. */
  public static void load(Warehouse warehouse, LodeConfig config, long size, Consumer<String> log)
      throws IOException, SQLException {
    load(warehouse, config, size, log, Watcher.NONE);
  }

  /** Loads the demo dataset; {@code log} receives one line per step, {@code watch} each phase's progress. */
  public static void load(Warehouse warehouse, LodeConfig config, long size, Consumer<String> log, Watcher watch)
      throws IOException, SQLException {
    Path loading = loadingMarker(config);
    Files.createDirectories(loading.getParent());
    Files.writeString(loading, ProcessHandle.current().pid() + " " + Instant.now() + "\n");
    try {
      loadSteps(warehouse, config, size, log, watch);
    } finally {
      Files.deleteIfExists(loading);
    }
  }

  private static void loadSteps(Warehouse warehouse, LodeConfig config, long size, Consumer<String> log,
      Watcher watch)
      throws IOException, SQLException {
    Optional<Path> retail = onlineRetail(config);
    Path file;
    if (retail.isPresent()) {
      file = retail.get();
      log.accept("demo: loading Online Retail purchases from " + file);
    } else {
      file = config.dataDir().resolve("demo").resolve("online-retail-sample.csv.gz");
      Files.createDirectories(file.getParent());
      try (InputStream in = DemoDataset.class.getResourceAsStream("/lode/demo/online-retail-sample.csv.gz")) {
        if (in == null) {
          throw new IllegalStateException("the bundled demo sample is missing from the classpath");
        }
        Files.copy(in, file, StandardCopyOption.REPLACE_EXISTING);
      }
      log.accept("demo: " + config.getPath("lode.demo.online-retail", DEFAULT_ONLINE_RETAIL)
          + " not found; loading the bundled synthetic sample in the Online Retail layout");
    }
    LoadSummary s;
    step(config, "step 1 of 3: the purchases from " + file.getFileName());
    try {
      s = new BatchLoader(warehouse).load(file, LoadKind.ORDERS, MappingSpec.resolve("online-retail"),
          new BatchLoader.Options(null, false, watch.orders(file)));
    } finally {
      watch.end();
    }
    log.accept("demo: " + s.toText().strip().replace("\n", "\ndemo: "));
    long seed = Long.parseLong(config.get("lode.demo.seed", "42"));
    BehaviorSimulator.Result r;
    step(config, String.format("step 2 of 3: %,d simulated events", size));
    try {
      r = new BehaviorSimulator(warehouse).simulate(new BehaviorSimulator.Spec(seed, size, null, null),
          watch.simulation(size));
    } finally {
      watch.end();
    }
    log.accept("demo: " + r.toText());
    IdentityResolver.RunSummary resolved;
    step(config, "step 3 of 3: identity resolution");
    try {
      resolved = new IdentityResolver(warehouse, config).resolve(watch.resolution());
    } finally {
      watch.end();
    }
    log.accept("demo: " + resolved.toText());
    log.accept("demo: ready (" + s.loaded() + " order lines, " + r.events() + " simulated events)");
    Files.writeString(marker(config), "demo dataset loaded " + Instant.now() + " (" + r.events() + " simulated events,"
        + " seed " + seed + ")\n");
  }

  /** The configured demo size in events ({@code lode.demo.size}, e.g. 1000000 or 10M). */
  public static long size(LodeConfig config) {
    return parseSize(config.get("lode.demo.size", Long.toString(DEFAULT_SIZE)));
  }

  /** Parses an event count: a number with an optional k or M suffix. */
  public static long parseSize(String s) {
    String t = s.strip().toLowerCase(java.util.Locale.ROOT).replace("_", "").replace(",", "");
    long mult = 1;
    if (t.endsWith("k")) {
      mult = 1_000;
      t = t.substring(0, t.length() - 1);
    } else if (t.endsWith("m")) {
      mult = 1_000_000;
      t = t.substring(0, t.length() - 1);
    }
    try {
      return Math.round(Double.parseDouble(t) * mult);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("'" + s + "' is not an event count (e.g. 1000000, 500k, 10M)");
    }
  }
}
