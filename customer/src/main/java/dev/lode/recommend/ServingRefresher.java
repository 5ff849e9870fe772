package dev.lode.recommend;

import dev.lode.schedule.JobScheduler;
import dev.lode.schedule.ScheduledJob;
import dev.lode.warehouse.SqlLiteral;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedDeque;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps {@code rec_person_recs} current. Every interval a cycle asks which persons' events,
 * order lines, tickets, consents or profiles arrived since the last watermark, recomputes
 * their lists and writes a heartbeat; recommend() serves from the store only while that
 * heartbeat is recent, so a stopped or lagging refresher makes calls compute live instead of
 * serving stale lists. When the live model's generation or the day changes, everyone with data
 * is recomputed by a second thread, customers first, in chunks (a list of an older model is
 * not served meanwhile: those calls compute live until the person is redone); the heartbeat
 * says {@code complete} once that pass is done. Lists are computed as of the model clock
 * ({@code lode.model.as-of}, resolved at each cycle), whose day is the day that changes.
 */
public final class ServingRefresher implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ServingRefresher.class);
  /** Persons recomputed in one statement of a full pass. */
  static final int CHUNK = 200;
  /** Changed persons a cycle recomputes itself; more are handed to the full-pass thread. */
  static final int INLINE = 32;
  /** Changes are looked for from this long before the previous watermark: rows in flight then may land late. */
  static final long OVERLAP_MILLIS = 1_000;
  /** How long a quiet cycle keeps the resolved model clock before reading it again. */
  static final long CLOCK_RECHECK_MILLIS = 60_000;

  private final ServingStore store;
  private final ConcurrentLinkedDeque<String> backlog = new ConcurrentLinkedDeque<>();
  private ScheduledJob cycles;
  private ScheduledJob passes;
  private Instant watermark;
  private long generation = -1;
  private LocalDate day;
  /** The model clock the current pass computes as of (null = the engine's now), set by each cycle. */
  private volatile Instant clock;
  private long clockCheckedAt;
  private volatile boolean passRunning;
  private volatile boolean closed;
  private Boolean personalizationOff;
  private long personalizationCheckedAt;

  private ServingRefresher(ServingStore store) {
    this.store = store;
  }

  /** A refresher driven by {@link #cycle()} and {@link #drain()} alone (tests, benches), until scheduled. */
  public static ServingRefresher manual(ServingStore store) {
    return new ServingRefresher(store);
  }

  /** Starts refreshing every {@code intervalMillis} on {@code jobs}; 0 = never (nothing is served). */
  public static ServingRefresher start(JobScheduler jobs, ServingStore store, long intervalMillis) {
    return manual(store).schedule(jobs, intervalMillis);
  }

  /**
   * From now on runs {@link #cycle()} every {@code intervalMillis}, and a full pass's chunks as a
   * second job so a long pass never holds up the changed persons or the heartbeat; 0 = never.
   */
  public synchronized ServingRefresher schedule(JobScheduler jobs, long intervalMillis) {
    if (intervalMillis <= 0 || cycles != null) {
      return this;
    }
    Duration every = Duration.ofMillis(intervalMillis);
    cycles = jobs.everyDelay("recommend-serving", Duration.ZERO, every,
        "recommend() computes live until it succeeds", () -> {
          Cycle c = cycle();
          return c.changed() + " changed, " + c.recomputed() + " recomputed, " + c.backlog() + " in the backlog";
        });
    passes = jobs.everyDelay("recommend-serving-pass", every, every, "retried", () -> drain() + " persons");
    return this;
  }

  /** What one cycle did. */
  public record Cycle(int changed, int recomputed, int backlog, boolean complete, long millis) {
  }

  /**
   * One incremental refresh: the persons changed since the watermark, then the heartbeat. A new
   * model generation or day queues everyone for {@link #drain()} and recomputes the context-only
   * list at once.
   */
  public synchronized Cycle cycle() throws SQLException {
    long t0 = System.nanoTime();
    try (Connection c = store.warehouse().connect(); Statement st = c.createStatement()) {
      Instant now = engineNow(st);
      long gen;
      try (ResultSet rs = st.executeQuery("SELECT max(generation) FROM rec_models WHERE model = "
          + SqlLiteral.string(Recommender.LIVE))) {
        rs.next();
        gen = rs.getLong(1);
      }
      Set<String> changed = watermark == null ? Set.of() : changedSince(st, watermark.minusMillis(OVERLAP_MILLIS));
      // the lists are computed as of the model clock (lode.model.as-of): the engine's now for live data,
      // just after the newest record for a history loaded from files; arrival is still watched in engine time
      Instant asOf = clock(changed.isEmpty() && gen == generation);
      LocalDate today = LocalDate.ofInstant(asOf == null ? now : asOf, java.time.ZoneOffset.UTC);
      List<String> first = new ArrayList<>(changed);
      if (gen != generation || !today.equals(day)) {
        List<String> all = everyone(st);
        if (day != null && Math.abs(ChronoUnit.DAYS.between(day, today)) > 1) {
          // the clock jumped (e.g. live events arrived on a history, so auto is now the current time):
          // lists as of the old clock are not served, their calls compute live until the pass redoes them
          store.invalidate(st, all, now);
        }
        backlog.clear();
        backlog.addAll(all);
        generation = gen;
        day = today;
        // the context-only list depends on the model and the day only (stock is checked at call time)
        first.add(ServingStore.UNKNOWN);
      }
      backlog.removeIf(changed::contains);
      if (first.size() > INLINE) {
        // too many to redo within a cycle (a bulk load): their lists stop being served now, and the
        // full-pass thread redoes them first; until then their calls compute live
        List<String> later = first.stream().filter(x -> !x.equals(ServingStore.UNKNOWN)).toList();
        store.invalidate(st, later, now);
        later.reversed().forEach(backlog::addFirst);
        first = first.contains(ServingStore.UNKNOWN) ? List.of(ServingStore.UNKNOWN) : List.of();
      }
      store.write(st, first, now, asOf);
      warnWhenNobodyIsPersonalized();
      watermark = now;
      boolean complete = backlog.isEmpty() && !passRunning;
      heartbeat(st, now, gen, today, true, complete, store.settings().asOf().toString(), asOf);
      long ms = (System.nanoTime() - t0) / 1_000_000;
      LOG.debug("recommendation lists: {} changed, {} recomputed, {} in the backlog, {} ms", changed.size(),
          first.size(), backlog.size(), ms);
      return new Cycle(changed.size(), first.size(), backlog.size(), complete, ms);
    }
  }

  /**
   * Works through the full pass's backlog a chunk at a time, each chunk stamped with the engine
   * time at its start (a newer list of the same person, from a cycle, wins over it); returns how
   * many persons it recomputed.
   */
  public int drain() throws SQLException {
    int done = 0;
    try (Connection c = store.warehouse().connect(); Statement st = c.createStatement()) {
      while (!closed && !backlog.isEmpty()) {
        passRunning = true;
        List<String> chunk = new ArrayList<>();
        String p;
        while (chunk.size() < CHUNK && (p = backlog.poll()) != null) {
          chunk.add(p);
        }
        try {
          store.write(st, chunk, engineNow(st), clock);
        } catch (SQLException | RuntimeException e) {
          backlog.addAll(chunk);
          throw e;
        } finally {
          passRunning = false;
        }
        done += chunk.size();
      }
    }
    return done;
  }

  /**
   * The model clock resolved (null = the engine's now). Resolving {@code latest-event} or {@code auto}
   * reads the newest record of five tables, so a quiet cycle ({@code quiet}: nothing changed, same
   * model) keeps the last instant for up to {@link #CLOCK_RECHECK_MILLIS}; a record that moves the
   * clock changes some person, so the cycle that folds it in resolves the clock anew.
   */
  private Instant clock(boolean quiet) throws SQLException {
    long t = System.nanoTime();
    if (!quiet || clockCheckedAt == 0 || t - clockCheckedAt > CLOCK_RECHECK_MILLIS * 1_000_000) {
      clock = store.settings().asOf().resolve(store.warehouse()).orElse(null);
      clockCheckedAt = t;
    }
    return clock;
  }

  /** Logs a warning when personalization turns off for everyone (no consent grant), and when it is back. */
  private void warnWhenNobodyIsPersonalized() throws SQLException {
    long now = System.nanoTime();
    if (personalizationOff != null && now - personalizationCheckedAt < 60_000_000_000L) {
      return; // a consent state is an operator's concern: once a minute is soon enough
    }
    personalizationCheckedAt = now;
    PersonalizationStatus status = PersonalizationStatus.read(store.warehouse(), store.settings());
    if (personalizationOff == null || personalizationOff != status.offForEveryone()) {
      if (status.offForEveryone()) {
        LOG.warn(status.toText());
      } else if (personalizationOff != null) {
        LOG.info(status.toText());
      }
      personalizationOff = status.offForEveryone();
    }
  }

  private static Instant engineNow(Statement st) throws SQLException {
    try (ResultSet rs = st.executeQuery("SELECT toUnixTimestamp64Milli(now64(3, 'UTC'))")) {
      rs.next();
      return Instant.ofEpochMilli(rs.getLong(1));
    }
  }

  /** Persons with any event, order line, ticket, consent, person or silo attribution change after {@code since}. */
  private static Set<String> changedSince(Statement st, Instant since) throws SQLException {
    String t = SqlBinder.literals().time(since);
    Set<String> out = new LinkedHashSet<>();
    // events carry no person (the collector cannot know it): the persons their ids belong to (any
    // version of the id's row: a person too many is only redone), looked up by the identities' sort
    // key, plus any person stamped at ingest; silo rows stamped since change a person too
    try (ResultSet rs = st.executeQuery("SELECT DISTINCT person_id FROM ("
        + " SELECT person_id FROM identities WHERE id_type IN ('user_id', 'anonymous_id')"
        + " AND id_value IN (SELECT distinct_id FROM events WHERE received_time > " + t + ")"
        + " UNION ALL SELECT person_id FROM events WHERE received_time > " + t
        + " UNION ALL SELECT person_id FROM order_lines WHERE loaded_at > " + t
        + " UNION ALL SELECT person_id FROM tickets WHERE loaded_at > " + t
        + " UNION ALL SELECT person_id FROM consents WHERE recorded_at > " + t
        + " UNION ALL SELECT person_id FROM persons WHERE updated_at > " + t
        + " UNION ALL SELECT person_id FROM silo_attributions WHERE attributed_at > " + t
        + ") WHERE person_id != ''")) {
      while (rs.next()) {
        out.add(rs.getString(1));
      }
    }
    return out;
  }

  /** Every person some list could be personal for (events, orders or tickets), customers first. */
  private static List<String> everyone(Statement st) throws SQLException {
    List<String> out = new ArrayList<>();
    try (ResultSet rs = st.executeQuery("SELECT person_id FROM ("
        + " SELECT person_id, 0 AS customer FROM profile_events_all WHERE item_id != ''"
        + " UNION ALL SELECT person_id, 1 FROM order_lines"
        + " UNION ALL SELECT person_id, 1 FROM tickets) WHERE person_id != ''"
        + " GROUP BY person_id ORDER BY max(customer) DESC, person_id")) {
      while (rs.next()) {
        out.add(rs.getString(1));
      }
    }
    return out;
  }

  private static void heartbeat(Statement st, Instant at, long gen, LocalDate day, boolean ready, boolean complete,
                                String clockSetting, Instant clockTime) throws SQLException {
    SqlBinder lit = SqlBinder.literals();
    st.execute("INSERT INTO rec_serving_state (id, heartbeat, watermark, generation, day, ready, complete, clock,"
        + " clock_time) VALUES (0, " + lit.time(at) + ", " + lit.time(at) + ", " + gen + ", "
        + lit.string(day.toString()) + ", " + (ready ? 1 : 0) + ", " + (complete ? 1 : 0) + ", "
        + lit.string(clockSetting) + ", " + (clockTime == null ? "NULL" : lit.time(clockTime)) + ")");
  }

  /** Stops refreshing and marks the store not ready, so calls compute live from now on. */
  @Override
  public void close() {
    closed = true;
    ScheduledJob cycleJob;
    ScheduledJob passJob;
    synchronized (this) {
      cycleJob = cycles;
      passJob = passes;
    }
    if (cycleJob != null) {
      cycleJob.close();
      passJob.close();
    }
    synchronized (this) {
      if (watermark == null) {
        return;
      }
      try (Connection c = store.warehouse().connect(); Statement st = c.createStatement()) {
        // a heartbeat later than any earlier one, saying "not ready"
        st.execute("INSERT INTO rec_serving_state (id, heartbeat, watermark, generation, day, ready, complete)"
            + " SELECT 0, greatest(now64(3, 'UTC'), (SELECT max(heartbeat) FROM rec_serving_state) + toIntervalMillisecond(1)),"
            + " now64(3, 'UTC'), 0, today(), 0, 0");
      } catch (SQLException e) {
        LOG.warn("could not mark the recommendation lists not ready: {}", e.getMessage());
      }
    }
  }
}
