package dev.lode.app;

import dev.lode.config.LodeConfig;
import dev.lode.privacy.Erasure;
import dev.lode.privacy.ErasureStore;
import dev.lode.privacy.PrivacySettings;
import dev.lode.privacy.ReportOutputStore;
import dev.lode.warehouse.Warehouse;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * How this process erases a person: the warehouse, the report output directory and any
 * store a component registers at start (the collector registers its spool), one setting
 * bounding how many persons one id may link.
 */
public final class PrivacyAdmin {
  private static final List<ErasureStore> REGISTERED = new CopyOnWriteArrayList<>();

  private PrivacyAdmin() {
  }

  /** Adds a store every erasure in this process empties (e.g. the collector's spool while it runs). */
  public static void register(ErasureStore store) {
    REGISTERED.add(store);
  }

  /** Removes a store registered with {@link #register} (its owner stopped). */
  public static void unregister(ErasureStore store) {
    REGISTERED.remove(store);
  }

  /** The erasure over {@code warehouse} with this process's stores. */
  public static Erasure erasure(LodeConfig config, Warehouse warehouse) {
    PrivacySettings settings = PrivacySettings.of(config);
    List<ErasureStore> stores = new ArrayList<>(REGISTERED);
    stores.add(new ReportOutputStore(settings.reportOutputDir()));
    return new Erasure(warehouse, settings, stores, config.getInt("lode.privacy.forget-max-persons", 10));
  }
}
