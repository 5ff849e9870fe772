package dev.lode.recommend;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps {@code rec_person_recs} current: every interval it asks which persons' events, order
 * lines, tickets, consents or profiles arrived since the last watermark and recomputes their
 * lists first; when the live model's generation or the day changes it recomputes everyone,
 * about a second of chunks per cycle (a list of an older model is not served: those calls
 * compute live until the person is redone). Each completed cycle writes a
 * heartbeat; recommend() serves from the store only while that heartbeat is recent, so a
 * stopped or lagging refresher makes calls compute live instead of serving stale lists.
 */
public final class ServingRefresher implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ServingRefresher.class);
  /** Persons recomputed in one statement. */
  static final int CHUNK = 500;
  /** Changes are looked for from this long before the previous watermark: rows in flight then may land late. */
  static final long OVERLAP_MILLIS = 1_000;
  /** Time per cycle spent on the backlog of a full recomputation, once the store is ready. */
  static final long BACKLOG_MILLIS = 1_000;
  /** A cycle longer than this folds in the changes made while it ran before it writes its heartbeat. */
  static final long CATCH_UP_MILLIS = 1_000;

  private final ServingStore store;
  private ScheduledExecutorService timer;
  private final Deque<String> backlog = new ArrayDeque<>();
  private Instant watermark;
  private long generation = -1;
  private LocalDate day;
  private boolean ready;

  private ServingRefresher(ServingStore store) {
    this.store = store;
  }

  /** A refresher not yet started, driven by {@link #cycle()} (tests, benches). */
  public static ServingRefresher manual(ServingStore store) {
    return new ServingRefresher(store);
  }

  /** Starts refreshing every {@code intervalMillis} in a background thread; 0 = never (nothing is served). */
  public static ServingRefresher start(ServingStore store, long intervalMillis) {
    return manual(store).schedule(intervalMillis);
  }

  /** Runs {@link #cycle()} every {@code intervalMillis} in a background thread from now on; 0 = never. */
  public synchronized ServingRefresher schedule(long intervalMillis) {
    if (intervalMillis <= 0 || timer != null) {
      return this;
    }
    timer = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "lode-recommend-serving");
      t.setDaemon(true);
      return t;
    });
    timer.scheduleWithFixedDelay(() -> {
      try {
        cycle();
      } catch (Exception e) {
        LOG.warn("recommendation lists refresh failed (recommend() computes live until it succeeds): {}",
            e.getMessage());
      }
    }, 0, intervalMillis, TimeUnit.MILLISECONDS);
    return this;
  }

  /** What one cycle did. */
  public record Cycle(int changed, int recomputed, int backlog, boolean ready, long millis) {
  }

  /**
   * One refresh: the persons changed since the watermark, then up to a chunk of the backlog
   * of a full recomputation; then the heartbeat. The first cycle recomputes everyone before
   * it declares the store ready.
   */
  public synchronized Cycle cycle() throws SQLException {
    long t0 = System.nanoTime();
    try (Connection c = store.warehouse().connect(); Statement st = c.createStatement()) {
      Instant now = engineNow(st);
      long gen;
      try (ResultSet rs = st.executeQuery("SELECT max(generation) FROM rec_models WHERE model = 'live'")) {
        rs.next();
        gen = rs.getLong(1);
      }
      LocalDate today = LocalDate.ofInstant(now, java.time.ZoneOffset.UTC);
      boolean full = watermark == null || gen != generation || !today.equals(day);
      Set<String> changed = watermark == null ? Set.of() : changedSince(st, watermark.minusMillis(OVERLAP_MILLIS));
      int recomputed = 0;
      List<String> first = new ArrayList<>(changed);
      if (full) {
        backlog.clear();
        backlog.addAll(everyone(st));
        generation = gen;
        day = today;
        // the context-only list depends on the model and the day only (stock is checked at call time)
        first.add(ServingStore.UNKNOWN);
      }
      for (int i = 0; i < first.size(); i += CHUNK) {
        store.write(st, first.subList(i, Math.min(first.size(), i + CHUNK)), now);
        recomputed += Math.min(CHUNK, first.size() - i);
      }
      backlog.removeAll(changed);
      // before the store is first ready, finish the whole backlog (nothing is served meanwhile);
      // after that, chunks for about a second per cycle keep the changed persons fresh
      long budget = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(BACKLOG_MILLIS);
      do {
        List<String> chunk = new ArrayList<>();
        while (!backlog.isEmpty() && chunk.size() < CHUNK) {
          chunk.add(backlog.poll());
        }
        if (!chunk.isEmpty()) {
          store.write(st, chunk, now);
          recomputed += chunk.size();
        }
      } while (!backlog.isEmpty() && (!ready || System.nanoTime() < budget));
      // a long pass (a full recomputation) ends with its start far behind: fold in what changed meanwhile
      // so the heartbeat, the time up to which every change is in, is recent
      for (int i = 0; i < 3 && System.nanoTime() - t0 > TimeUnit.MILLISECONDS.toNanos(CATCH_UP_MILLIS); i++) {
        t0 = System.nanoTime();
        Instant again = engineNow(st);
        List<String> more = new ArrayList<>(changedSince(st, now.minusMillis(OVERLAP_MILLIS)));
        for (int j = 0; j < more.size(); j += CHUNK) {
          store.write(st, more.subList(j, Math.min(more.size(), j + CHUNK)), again);
          recomputed += Math.min(CHUNK, more.size() - j);
        }
        now = again;
      }
      watermark = now;
      ready = true;
      LOG.debug("recommendation lists: {} changed, {} recomputed, {} in the backlog, {} ms", changed.size(), recomputed,
          backlog.size(), (System.nanoTime() - t0) / 1_000_000);
      heartbeat(st, now, gen, today, true);
      return new Cycle(changed.size(), recomputed, backlog.size(), ready, (System.nanoTime() - t0) / 1_000_000);
    }
  }

  private static Instant engineNow(Statement st) throws SQLException {
    try (ResultSet rs = st.executeQuery("SELECT toUnixTimestamp64Milli(now64(3, 'UTC'))")) {
      rs.next();
      return Instant.ofEpochMilli(rs.getLong(1));
    }
  }

  /** Persons with any event, order line, ticket, consent or profile change received after {@code since}. */
  private static Set<String> changedSince(Statement st, Instant since) throws SQLException {
    String t = SqlBinder.literals().time(since);
    Set<String> out = new LinkedHashSet<>();
    try (ResultSet rs = st.executeQuery("SELECT DISTINCT person_id FROM ("
        + " SELECT person_id FROM events WHERE received_time > " + t
        + " UNION ALL SELECT person_id FROM order_lines WHERE loaded_at > " + t
        + " UNION ALL SELECT person_id FROM tickets WHERE loaded_at > " + t
        + " UNION ALL SELECT person_id FROM consents WHERE recorded_at > " + t
        + " UNION ALL SELECT person_id FROM persons WHERE updated_at > " + t
        + ") WHERE person_id != ''")) {
      while (rs.next()) {
        out.add(rs.getString(1));
      }
    }
    return out;
  }

  /** Every person some list could be personal for: those with events, orders or tickets. */
  private static List<String> everyone(Statement st) throws SQLException {
    List<String> out = new ArrayList<>();
    try (ResultSet rs = st.executeQuery("SELECT DISTINCT person_id FROM ("
        + " SELECT person_id FROM events WHERE item_id != ''"
        + " UNION ALL SELECT person_id FROM order_lines"
        + " UNION ALL SELECT person_id FROM tickets) WHERE person_id != '' ORDER BY person_id")) {
      while (rs.next()) {
        out.add(rs.getString(1));
      }
    }
    return out;
  }

  private static void heartbeat(Statement st, Instant at, long gen, LocalDate day, boolean ready) throws SQLException {
    SqlBinder lit = SqlBinder.literals();
    st.execute("INSERT INTO rec_serving_state (id, heartbeat, watermark, generation, day, ready) VALUES (0, "
        + lit.time(at) + ", " + lit.time(at) + ", " + gen + ", " + lit.string(day.toString()) + ", "
        + (ready ? 1 : 0) + ")");
  }

  /** Stops refreshing and marks the store not ready, so calls compute live from now on. */
  @Override
  public void close() {
    ScheduledExecutorService timer;
    synchronized (this) {
      timer = this.timer;
    }
    if (timer != null) {
      timer.shutdownNow();
      try {
        timer.awaitTermination(10, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    synchronized (this) {
      if (!ready) {
        return;
      }
      ready = false;
      try (Connection c = store.warehouse().connect(); Statement st = c.createStatement()) {
        // a heartbeat later than any earlier one, saying "not ready"
        st.execute("INSERT INTO rec_serving_state (id, heartbeat, watermark, generation, day, ready)"
            + " SELECT 0, greatest(now64(3, 'UTC'), (SELECT max(heartbeat) FROM rec_serving_state) + toIntervalMillisecond(1)),"
            + " now64(3, 'UTC'), 0, today(), 0");
      } catch (SQLException e) {
        LOG.warn("could not mark the recommendation lists not ready: {}", e.getMessage());
      }
    }
  }
}
