package dev.lode.app;

import dev.lode.config.Credentials;
import dev.lode.config.LodeConfig;
import dev.lode.recommend.TunedWeights;
import dev.lode.warehouse.Warehouse;

/**
 * What every part of the running application shares: configuration, credentials and the
 * warehouse. Created once per process (standalone launcher or servlet container). The configuration
 * carries the recommendation blend's weights as the newest temporal tuning chose them, where it does not
 * set them itself ({@link TunedWeights}), so the model refresh, the served lists and {@code recommend()} agree.
 */
public record LodeContext(LodeConfig config, Credentials credentials, Warehouse warehouse, boolean ownsWarehouse)
    implements AutoCloseable {

  /** Opens the warehouse (migrating it) and loads credentials. */
  public static LodeContext open(LodeConfig config) {
    Credentials creds = Credentials.load(config);
    Warehouse w = Warehouse.open(config);
    return new LodeContext(TunedWeights.apply(w, config), creds, w, true);
  }

  /**
   * Uses a warehouse that is already open and stays open after the context closes: the
   * embedded engine allows one data directory per process, so a process that already has
   * a warehouse (a test JVM) serves the application over that same one.
   */
  public static LodeContext over(LodeConfig config, Warehouse warehouse) {
    return new LodeContext(TunedWeights.apply(warehouse, config), Credentials.load(config), warehouse, false);
  }

  @Override
  public void close() {
    if (ownsWarehouse) {
      warehouse.close();
    }
  }
}
