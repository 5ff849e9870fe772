package dev.lode.tags;

import dev.lode.clock.AsOf;
import dev.lode.config.LodeConfig;
import dev.lode.profiles.ProfileRefresher;
import dev.lode.profiles.ProfileSettings;
import dev.lode.warehouse.StepProgress;
import dev.lode.warehouse.Warehouse;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One refresh cycle over profiles and tags, as the CLI, the server's schedule and the
 * bench run it: register the catalog, refresh profiles (tags read them), refresh each
 * tag (model tags train first), then drop the values of anyone who withheld profiling
 * consent in tags that were not due. A failing tag is reported and the others go on.
 */
public final class TagService {
  /**
   * The outcome of one tag in a cycle: a result, the reason a model tag was not trained (too little
   * data; its last version stays), or the error that stopped it.
   */
  public record TagOutcome(String tagId, TagRefresher.Result result, ModelTag.Result model, String notTrained,
                           String error) {
    /** No error: refreshed, or a model tag left untrained for want of data. */
    public boolean ok() {
      return error == null;
    }

    /** Refreshed: neither an error nor left untrained. */
    public boolean refreshed() {
      return error == null && notTrained == null;
    }
  }

  /** The outcome of a cycle. */
  public record Cycle(ProfileRefresher.Result profiles, List<TagOutcome> tags, long consentRemovals, long millis) {
  }

  private final Warehouse warehouse;
  private final TagCatalog catalog;
  private final TagRegistry registry;
  private final TagRefresher refresher;
  private final ModelTag models;
  private final ProfileRefresher profiles;

  public TagService(Warehouse warehouse, TagCatalog catalog, ProfileSettings settings) {
    this.warehouse = warehouse;
    this.catalog = catalog;
    this.registry = new TagRegistry(warehouse);
    this.refresher = new TagRefresher(warehouse);
    this.models = new ModelTag(warehouse, refresher, registry);
    this.profiles = new ProfileRefresher(warehouse, settings);
  }

  /** The service over the configured catalog and profile settings. */
  public static TagService open(Warehouse warehouse, LodeConfig config) {
    return new TagService(warehouse, TagCatalog.load(config), ProfileSettings.from(config));
  }

  public TagCatalog catalog() {
    return catalog;
  }

  public TagRegistry registry() {
    return registry;
  }

  public ProfileRefresher profiles() {
    return profiles;
  }

  /**
   * Refreshes profiles (fully, or only changed persons when {@code incremental}) and
   * then the tags named (all when empty) — or, with {@code onlyDue}, those whose
   * refresh interval has passed since their last successful run.
   */
  public Cycle refresh(Instant asOf, List<String> tagIds, boolean incremental, boolean onlyDue) throws SQLException {
    return refresh(asOf, tagIds, incremental, onlyDue, StepProgress.NONE);
  }

  /**
   * {@link #refresh(Instant, List, boolean, boolean)}, telling {@code steps} as the profiles and
   * then each tag begin (the profile refresh is the first step, its own stages untold).
   */
  public Cycle refresh(Instant asOf, List<String> tagIds, boolean incremental, boolean onlyDue, StepProgress steps)
      throws SQLException {
    long t0 = System.nanoTime();
    registry.sync(catalog);
    Set<String> retired = registry.retiredByAdmin();
    int of = 1 + (tagIds.isEmpty() ? catalog.definitions().size() : tagIds.size());
    steps.begin(0, of, "profiles");
    ProfileRefresher.Result p = incremental ? profiles.refreshChanged(asOf) : profiles.refreshAll(asOf);
    List<TagDefinition> chosen = new ArrayList<>();
    for (String id : tagIds) {
      chosen.add(catalog.require(id));
    }
    if (tagIds.isEmpty()) {
      chosen.addAll(catalog.definitions());
    }
    chosen.removeIf(d -> retired.contains(d.id()));
    Map<String, Instant> last = onlyDue ? lastRefreshed() : Map.of();
    List<TagOutcome> out = new ArrayList<>();
    int step = 1;
    for (TagDefinition d : chosen) {
      steps.begin(step++, of, d.id());
      Instant prev = last.get(d.id());
      if (prev != null && prev.plus(d.refresh()).isAfter(Instant.now())) {
        continue;
      }
      out.add(refreshOne(d, asOf));
    }
    long removed = refresher.removeWithheld();
    return new Cycle(p, out, removed, (System.nanoTime() - t0) / 1_000_000);
  }

  /** Refreshes one tag (without touching profiles); failures come back as an outcome with the error. */
  public TagOutcome refreshOne(TagDefinition d, Instant asOf) {
    try {
      if (d.kind() == TagKind.MODEL) {
        ModelTag.Result m = models.refresh(d, asOf);
        return new TagOutcome(d.id(), m.published(), m, null, null);
      }
      return new TagOutcome(d.id(), refresher.refresh(d, asOf), null, null, null);
    } catch (TooLittleDataException e) {
      return new TagOutcome(d.id(), null, null, e.getMessage(), null);
    } catch (SQLException | RuntimeException e) {
      return new TagOutcome(d.id(), null, null, null, e.getMessage() == null ? e.toString() : e.getMessage());
    }
  }

  /**
   * The time a refresh computes "as of": {@code auto}, {@code now}, {@code latest-event} (just
   * after the newest event or silo record, for historic data such as the demo dataset) or an ISO instant.
   */
  public Instant asOf(String spec) throws SQLException {
    return asOf(AsOf.parse(spec));
  }

  /** {@link #asOf(String)} of a parsed clock. */
  public Instant asOf(AsOf clock) throws SQLException {
    return clock.instantIn(warehouse);
  }

  /** The configured clock of profiles and tags: {@code lode.model.as-of} ({@code lode.tags.as-of} when set). */
  public static AsOf configuredAsOf(LodeConfig config) {
    return AsOf.configured(config, "lode.tags.as-of");
  }

  private Map<String, Instant> lastRefreshed() throws SQLException {
    Map<String, Instant> out = new HashMap<>();
    try (Connection c = warehouse.connect(); Statement st = c.createStatement();
         ResultSet rs = st.executeQuery("SELECT substring(target, 5), toUnixTimestamp64Milli(max(started_at))"
             + " FROM refresh_runs WHERE startsWith(target, 'tag:') AND status = 'ok' GROUP BY target")) {
      while (rs.next()) {
        out.put(rs.getString(1), Instant.ofEpochMilli(rs.getLong(2)));
      }
    }
    return out;
  }
}
