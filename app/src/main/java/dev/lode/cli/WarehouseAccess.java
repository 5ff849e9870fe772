package dev.lode.cli;

import dev.lode.config.LodeConfig;
import dev.lode.warehouse.Warehouse;
import java.io.IOException;
import java.nio.file.Files;
import java.util.Optional;
import java.util.Properties;

/**
 * The warehouse a command works on: the running {@code bin/lode serve}'s engine when one is
 * up on this data directory (the embedded engine allows one process per data directory),
 * else the configured warehouse opened — and migrated — by the command itself.
 */
final class WarehouseAccess {
  private WarehouseAccess() {
  }

  static Warehouse open(LodeConfig config) throws IOException {
    Optional<Properties> running = SqlCommand.runningServer(config);
    if (running.isPresent() && config.get("lode.warehouse.url").isEmpty()) {
      String password = Files.readString(config.dataDir().resolve("engine.password")).trim();
      return Warehouse.connectOnly(config
          .with("lode.warehouse.url", running.get().getProperty("warehouse.url") + "?compress=false")
          .with("lode.warehouse.user", "lode")
          .with("lode.warehouse.password", password));
    }
    return Warehouse.open(config);
  }
}
