package dev.lode.app;

import dev.lode.config.LodeConfig;
import dev.lode.erasure.Erasure;
import dev.lode.privacy.ErasureStore;
import dev.lode.privacy.ErasureStores;
import dev.lode.privacy.PrivacySettings;
import dev.lode.privacy.ReportOutputStore;
import dev.lode.warehouse.Warehouse;
import java.util.ArrayList;
import java.util.List;

/**
 * How this process erases a person: the warehouse, the report output directory and the
 * stores components registered in {@link ErasureStores} (the collector's spool), with one
 * setting bounding how many persons one id may link.
 */
public final class PrivacyAdmin {
  private PrivacyAdmin() {
  }

  /** The erasure over {@code warehouse} with this process's stores. */
  public static Erasure erasure(LodeConfig config, Warehouse warehouse) {
    PrivacySettings settings = PrivacySettings.of(config);
    List<ErasureStore> stores = new ArrayList<>(ErasureStores.registered());
    stores.add(new ReportOutputStore(settings.reportOutputDir()));
    return new Erasure(warehouse, settings, stores, config.getInt("lode.privacy.forget-max-persons", 10));
  }
}
