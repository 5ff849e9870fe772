package dev.lode.cli;

import dev.lode.config.LodeConfig;
import dev.lode.warehouse.Warehouse;
import java.io.IOException;
import java.nio.file.Files;
import java.util.Optional;
import java.util.Properties;

/**
 * The warehouse a command-line tool writes to: the running {@code bin/lode serve}'s embedded
 * engine over its loopback endpoint when one is up on this data directory (chDB allows
 * one process per data directory), else the configured warehouse opened here.
 */
final class CliWarehouse {
  private CliWarehouse() {
  }

  static Warehouse open(LodeConfig config) throws IOException {
    Optional<Properties> running = RunFile.read(config);
    if (running.isPresent() && config.get("lode.warehouse.url").isEmpty()) {
      String password = Files.readString(config.dataDir().resolve("engine.password")).trim();
      LodeConfig via = config.with("lode.warehouse.url", running.get().getProperty("warehouse.url") + "?compress=false")
          .with("lode.warehouse.user", "lode").with("lode.warehouse.password", password);
      System.err.println("lode: writing through the running server's warehouse (pid " + running.get().getProperty("pid")
          + ")");
      return Warehouse.open(via);
    }
    return Warehouse.open(config);
  }
}
