package dev.lode.privacy;

import dev.lode.warehouse.Warehouse;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Collection;
import java.util.Map;
import java.util.Set;
import java.util.WeakHashMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Ids whose events must not be ingested again after an erasure ({@code suppressed_ids}):
 * held as salted pseudonyms, never raw. One instance per warehouse in a process
 * ({@link #of}); the collector asks {@link #isSuppressed} for every event's ids, an erasure
 * in the same process adds to it at once, and {@link #reload} picks up erasures run by
 * another process.
 */
public final class SuppressionList {
  private static final Map<Warehouse, SuppressionList> BY_WAREHOUSE = new WeakHashMap<>();
  /** How often erasures run by another process ({@code bin/lode forget} without a server) are picked up. */
  private static final long RELOAD_MILLIS = 10_000;

  private final Warehouse warehouse;
  private final Pseudonym pseudonym;
  private final IdVariants variants;
  private final Set<String> hashes = ConcurrentHashMap.newKeySet();
  private volatile long loadedAt;

  private SuppressionList(Warehouse warehouse, Pseudonym pseudonym, IdVariants variants) {
    this.warehouse = warehouse;
    this.pseudonym = pseudonym;
    this.variants = variants;
  }

  /** The process's suppression list of {@code warehouse}, loaded on first use. */
  public static synchronized SuppressionList of(Warehouse warehouse, PrivacySettings settings) {
    return BY_WAREHOUSE.computeIfAbsent(warehouse, w -> {
      SuppressionList s = new SuppressionList(w, new Pseudonym(settings.salt()), new IdVariants(settings.ingestSalt()));
      s.reload();
      Thread t = Thread.ofPlatform().name("lode-suppression-reload").daemon().unstarted(() -> {
        while (true) {
          try {
            Thread.sleep(RELOAD_MILLIS);
            s.reload();
          } catch (InterruptedException e) {
            return;
          } catch (RuntimeException e) {
            // the warehouse is closing or briefly unreachable: the ids known so far stay suppressed
          }
        }
      });
      t.start();
      return s;
    });
  }

  /** Re-reads the table (erasures run by {@code bin/lode forget} in another process). */
  public void reload() {
    try (Connection c = warehouse.connect(); Statement st = c.createStatement();
         ResultSet rs = st.executeQuery("SELECT id_hash FROM suppressed_ids")) {
      while (rs.next()) {
        hashes.add(rs.getString(1));
      }
      loadedAt = System.nanoTime();
    } catch (SQLException e) {
      throw new IllegalStateException("cannot read the suppression list: " + e.getMessage(), e);
    }
  }

  /** Reloads when the last load is older than {@code maxAgeMillis}. */
  public void reloadIfOlderThan(long maxAgeMillis) {
    if (System.nanoTime() - loadedAt > maxAgeMillis * 1_000_000L) {
      reload();
    }
  }

  /**
   * True when any of {@code ids} (raw values, as they arrive) was forgotten and suppressed, as
   * given or normalized (another case, surrounding or inner whitespace).
   */
  public boolean isSuppressed(String... ids) {
    if (hashes.isEmpty()) {
      return false;
    }
    for (String id : ids) {
      if (id != null && !id.isEmpty()
          && (hashes.contains(pseudonym.of(id)) || hashes.contains(pseudonym.of(IdVariants.normalized(id))))) {
        return true;
      }
    }
    return false;
  }

  /**
   * True when an identifying trait — an email, phone or customer number sent under a new user
   * id — belongs to a forgotten person: in any of the forms Lode stores it ({@link IdVariants}).
   */
  public boolean isSuppressedTrait(String value) {
    if (hashes.isEmpty() || value == null || value.isBlank()) {
      return false;
    }
    for (String form : variants.of(value)) {
      if (!form.isEmpty() && hashes.contains(pseudonym.of(form))) {
        return true;
      }
    }
    // a trait the collector hashed at ingest: the identity resolver stores the SHA-256 of that hash
    return value.strip().matches("[0-9a-f]{64}") && hashes.contains(pseudonym.of(dev.lode.hash.Sha256.hex(value.strip())));
  }

  public void addHashes(Collection<String> more) {
    hashes.addAll(more);
  }

  /** How many ids are suppressed. */
  public int size() {
    return hashes.size();
  }
}
