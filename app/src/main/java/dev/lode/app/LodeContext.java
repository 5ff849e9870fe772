package dev.lode.app;

import dev.lode.config.Credentials;
import dev.lode.config.LodeConfig;
import dev.lode.warehouse.Warehouse;

/**
 * What every part of the running application shares: configuration, credentials and the
 * warehouse. Created once per process (standalone launcher or servlet container).
 */
public record LodeContext(LodeConfig config, Credentials credentials, Warehouse warehouse) implements AutoCloseable {

  /** Opens the warehouse (migrating it) and loads credentials. */
  public static LodeContext open(LodeConfig config) {
    Credentials creds = Credentials.load(config);
    Warehouse w = Warehouse.open(config);
    return new LodeContext(config, creds, w);
  }

  @Override
  public void close() {
    warehouse.close();
  }
}
