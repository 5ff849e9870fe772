package dev.lode.privacy;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The {@link ErasureStore}s live in this process — a running collector registers its spool
 * here at start and removes it at close — so an erasure requested through the admin API
 * reaches them.
 */
public final class ErasureStores {
  private static final List<ErasureStore> REGISTERED = new CopyOnWriteArrayList<>();

  private ErasureStores() {
  }

  public static void register(ErasureStore store) {
    REGISTERED.add(store);
  }

  public static void unregister(ErasureStore store) {
    REGISTERED.remove(store);
  }

  /** The stores registered now. */
  public static List<ErasureStore> registered() {
    return List.copyOf(REGISTERED);
  }
}
