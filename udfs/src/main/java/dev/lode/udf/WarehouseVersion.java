package dev.lode.udf;

import java.util.function.Supplier;

/**
 * {@code version()}: the ClickHouse version of the warehouse behind Lode, as ClickHouse's
 * own {@code version()} answers it, so {@code SELECT version()} means the same through the
 * SQL layer as against the engine. The SQL layer tells it where the answer comes from.
 */
public final class WarehouseVersion {
  private static volatile Supplier<String> source = () -> null;

  private WarehouseVersion() {
  }

  /** Where {@link #version()} reads the warehouse's version (asked once, then remembered). */
  public static void source(Supplier<String> versionSource) {
    source = new Supplier<>() {
      private volatile String cached;

      @Override
      public String get() {
        String v = cached;
        if (v == null) {
          v = versionSource.get();
          cached = v;
        }
        return v;
      }
    };
  }

  /** The function Calcite calls. */
  public static String version() {
    return source.get();
  }
}
