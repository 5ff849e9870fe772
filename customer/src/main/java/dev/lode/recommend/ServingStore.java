package dev.lode.recommend;

import dev.lode.warehouse.SqlLiteral;
import dev.lode.warehouse.Warehouse;
import java.sql.Array;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The served recommendation lists ({@code rec_person_recs}): each person's ranked list, written
 * by the batch form of the blend for the persons whose data changed, and read at call time
 * as one point lookup together with what must hold at that very moment — the person's
 * complaint and return tickets, out-of-stock items and the latest consent. (Order lines marked
 * returned arrive as order-line changes, which the refresher folds in within its cycle.)
 */
public final class ServingStore {
  private static final Logger LOG = LoggerFactory.getLogger(ServingStore.class);
  /** Items kept per person; a call with a larger k, or with a context, is computed live. */
  public static final int LIST_SIZE = 100;
  /** The key of the context-only list served to persons without a list of their own or without consent. */
  static final String UNKNOWN = "";
  /** Up to this many persons are recomputed one query each; more go through the batch form together. */
  static final int ONE_BY_ONE = 16;

  private final Warehouse warehouse;
  private final RecommendSettings settings;

  public ServingStore(Warehouse warehouse, RecommendSettings settings) {
    this.warehouse = warehouse;
    this.settings = settings;
  }

  public RecommendSettings settings() {
    return settings;
  }

  public Warehouse warehouse() {
    return warehouse;
  }

  /**
   * Recomputes the lists of {@code persons} with the newest live model, as of {@code asOf} (the
   * model clock resolved by the refresher; null = the engine's now), and writes them stamped
   * {@code computedAt} (engine time no later than the start of the computation, so a change
   * received after it is picked up by the next refresh). {@link #UNKNOWN} among them gets the
   * context-only list. Persons without any candidate get an empty list, which still records that
   * they were computed.
   */
  void write(Statement st, List<String> persons, Instant computedAt, Instant asOf) throws SQLException {
    if (persons.isEmpty()) {
      return;
    }
    List<String> known = persons.stream().filter(p -> !p.equals(UNKNOWN)).toList();
    if (known.size() <= ONE_BY_ONE) {
      // a few persons (the usual case of a refresh cycle): the single-person form plans and runs
      // in a fraction of the batch form's time
      for (String p : known) {
        st.execute(insertOneSql(settings, p, computedAt, asOf));
      }
    } else {
      st.execute(insertSql(settings, known, computedAt, asOf, settings.consentRequired()
          ? RecommendQuery.Personal.IF_CONSENTED : RecommendQuery.Personal.ALWAYS));
    }
    if (known.size() < persons.size()) {
      st.execute(insertSql(settings, List.of(UNKNOWN), computedAt, asOf, RecommendQuery.Personal.NEVER));
    }
  }

  /**
   * Makes the lists of {@code persons} unservable as of {@code at} (an empty list of generation 0,
   * which no model has): their calls compute live until the lists are written again.
   */
  void invalidate(Statement st, List<String> persons, Instant at) throws SQLException {
    SqlBinder lit = SqlBinder.literals();
    for (int i = 0; i < persons.size(); i += 1000) {
      StringBuilder ids = new StringBuilder();
      for (String p : persons.subList(i, Math.min(persons.size(), i + 1000))) {
        ids.append(ids.isEmpty() ? "" : ", ").append(lit.string(p));
      }
      st.execute("INSERT INTO rec_person_recs (person_id, computed_at, generation, day, personal)"
          + " SELECT arrayJoin([" + ids + "]), " + lit.time(at) + ", 0, toDate(" + lit.time(at) + "), 0");
    }
  }

  /** The INSERT … SELECT writing one person's list with the single-person form of the blend. */
  static String insertOneSql(RecommendSettings settings, String person, Instant computedAt, Instant asOf) {
    SqlBinder lit = SqlBinder.literals();
    String blend = RecommendQuery.person(lit, settings, person, Recommender.LIVE, asOf, RecContext.NONE, LIST_SIZE,
        settings.consentRequired());
    String personal = settings.consentRequired()
        ? "toUInt8(ifNull((SELECT argMax(granted, recorded_at) = 1 FROM consents WHERE person_id = " + lit.string(person)
          + " AND purpose = 'personalization'), 0))"
        : "toUInt8(1)";
    return "INSERT INTO rec_person_recs (person_id, computed_at, generation, day, personal, items, scores, sources,"
        + " reasons)\n"
        + "SELECT " + lit.string(person) + ", " + lit.time(computedAt) + ", "
        + "(SELECT max(generation) FROM rec_models WHERE model = " + lit.string(Recommender.LIVE) + "), "
        + "toDate(" + lit.time(computedAt) + "), " + personal + ", "
        + "arrayMap(x -> x.2, r), arrayMap(x -> x.3, r), arrayMap(x -> x.4, r), arrayMap(x -> x.5, r)\n"
        + "FROM (SELECT arraySort(x -> x.1, groupArray((item_rank, item_id, score, source, reason))) AS r FROM ("
        + blend + "))";
  }

  /** The INSERT … SELECT writing the lists of {@code persons}. */
  static String insertSql(RecommendSettings settings, List<String> persons, Instant computedAt, Instant asOf,
                          RecommendQuery.Personal personal) {
    SqlBinder lit = SqlBinder.literals();
    StringBuilder ids = new StringBuilder();
    for (String p : persons) {
      ids.append(ids.isEmpty() ? "" : ", ").append(lit.string(p));
    }
    String targets = "SELECT arrayJoin([" + ids + "]) AS person_id";
    String blend = RecommendQuery.sql(lit, settings, new RecommendQuery.Persons(targets), Recommender.LIVE, asOf,
        RecContext.NONE, LIST_SIZE, personal);
    String consented = switch (personal) {
      case ALWAYS -> "SELECT person_id, 1 AS granted FROM targets";
      case NEVER -> "SELECT person_id, 0 AS granted FROM targets";
      case IF_CONSENTED -> "SELECT person_id, toUInt8(argMax(granted, recorded_at) = 1) AS granted FROM consents"
          + " WHERE person_id IN (SELECT person_id FROM targets) AND purpose = 'personalization' GROUP BY person_id";
    };
    return "INSERT INTO rec_person_recs (person_id, computed_at, generation, day, personal, items, scores, sources,"
        + " reasons)\n"
        + "WITH targets AS (" + targets + "),\n"
        + "  ranked AS (SELECT person_id, arraySort(x -> x.1, groupArray((item_rank, item_id, score, source, reason)))"
        + " AS r FROM (" + blend + ") GROUP BY person_id)\n"
        + "SELECT t.person_id, " + lit.time(computedAt) + ", "
        + "(SELECT max(generation) FROM rec_models WHERE model = " + lit.string(Recommender.LIVE) + "), "
        + "toDate(" + lit.time(computedAt) + "), c.granted, "
        + "arrayMap(x -> x.2, r.r), arrayMap(x -> x.3, r.r), arrayMap(x -> x.4, r.r), arrayMap(x -> x.5, r.r)\n"
        + "FROM targets t LEFT JOIN ranked r ON r.person_id = t.person_id\n"
        + "LEFT JOIN (" + consented + ") c ON c.person_id = t.person_id";
  }

  /** One stored list as read: ranked items with their score, source and reason. */
  private record StoredList(boolean personal, List<String> items, List<Double> scores, List<String> sources,
                            List<String> reasons) {
    /** The first {@code k} items not in {@code excluded} or {@code outOfStock}, ranked anew from 1. */
    List<Recommendation> top(String person, int k, Set<String> excluded, Set<String> outOfStock) {
      List<Recommendation> out = new ArrayList<>();
      for (int i = 0; i < items.size() && out.size() < k; i++) {
        String item = items.get(i);
        if (!excluded.contains(item) && !outOfStock.contains(item)) {
          out.add(new Recommendation(person, item, scores.get(i), out.size() + 1, sources.get(i), reasons.get(i)));
        }
      }
      return out;
    }
  }

  /**
   * What every call reads alike, shared by all calls for up to {@link #SNAPSHOT_MAX_AGE_MILLIS}: the
   * refresher's state, lag, clock setting and model generation (its heartbeat's), the items now
   * out of stock, and the context-only list when it may be served (null otherwise): it changes only
   * with the model and the day, which the refresher rewrites it for at once.
   */
  private record Snapshot(long readNanos, boolean ready, boolean complete, long lagMillisAtRead, long generation,
                          String clock, Set<String> outOfStock, StoredList unknown) {
    long lagMillis(long now) {
      return lagMillisAtRead + (now - readNanos) / 1_000_000;
    }

    /**
     * Whether a list of model generation {@code g} may be served: one of the generation the
     * refresher is on, or, while its full pass is redoing everyone after a rebuild, of an earlier
     * one — the list the person was served before the rebuild (a person whose data changed since is
     * redone by a cycle or invalidated, generation 0, so such a list still holds all they did).
     */
    boolean servable(long g) {
      return g == generation || (!complete && g > 0 && g < generation);
    }
  }

  /**
   * How often the shared part of a call's answer is read again while calls arrive: a call that finds
   * it older starts a read in the background and answers with the one it has, so no call waits for
   * it (the read plans three sub-queries and reads the catalog's stock: it was a call's slowest part).
   */
  static final long SNAPSHOT_MILLIS = 500;
  /**
   * The oldest shared part a call answers with; a call after a longer quiet spell reads it itself. A
   * stock change or a stopped refresher therefore shows within this.
   */
  static final long SNAPSHOT_MAX_AGE_MILLIS = 1_000;

  private volatile Snapshot snapshot;
  private final Object snapshotLock = new Object();
  private final AtomicBoolean snapshotReading = new AtomicBoolean();

  private Snapshot snapshot(Connection c) throws SQLException {
    Snapshot s = snapshot;
    long age = s == null ? Long.MAX_VALUE : System.nanoTime() - s.readNanos();
    if (age < SNAPSHOT_MILLIS * 1_000_000) {
      return s;
    }
    if (age < SNAPSHOT_MAX_AGE_MILLIS * 1_000_000) {
      if (snapshotReading.compareAndSet(false, true)) {
        Thread.ofVirtual().name("recommend-snapshot").start(this::readSnapshotInBackground);
      }
      return s;
    }
    synchronized (snapshotLock) {
      s = snapshot;
      if (s != null && System.nanoTime() - s.readNanos() < SNAPSHOT_MILLIS * 1_000_000) {
        return s;
      }
      s = readSnapshot(c);
      snapshot = s;
      return s;
    }
  }

  private void readSnapshotInBackground() {
    try (Connection c = warehouse.connect()) {
      Snapshot s = readSnapshot(c);
      synchronized (snapshotLock) {
        if (snapshot == null || snapshot.readNanos() < s.readNanos()) {
          snapshot = s;
        }
      }
    } catch (SQLException | RuntimeException e) {
      // the next call past SNAPSHOT_MAX_AGE_MILLIS reads it itself and reports what went wrong
      LOG.debug("background read of the serving state failed: {}", e.getMessage());
    } finally {
      snapshotReading.set(false);
    }
  }

  private static Snapshot readSnapshot(Connection c) throws SQLException {
    long read = System.nanoTime();
    try (Statement st = c.createStatement()) {
      Snapshot s;
      try (ResultSet rs = st.executeQuery(SNAPSHOT_SQL)) {
        rs.next();
        s = new Snapshot(read, rs.getInt("ready") == 1, rs.getInt("complete") == 1, rs.getLong("lag_ms"),
            rs.getLong("generation"), rs.getString("clock"), new HashSet<>(strings(rs.getArray("out_of_stock"))), null);
      }
      // read after the heartbeat: a list the refresher wrote for a newer generation than the heartbeat
      // names is not served yet, as in a call
      try (ResultSet rs = st.executeQuery(listSql(UNKNOWN))) {
        Newest unknown = new Newest();
        while (rs.next()) {
          unknown.offer(rs, s);
        }
        return new Snapshot(s.readNanos(), s.ready(), s.complete(), s.lagMillisAtRead(), s.generation(), s.clock(),
            s.outOfStock(), unknown.list);
      }
    }
  }

  /** The newest stored version of one person's list among the rows read, and whether any row was read. */
  private static final class Newest {
    StoredList list;
    long at = Long.MIN_VALUE;
    boolean stored;

    /** Takes the current row if it is newer; a list of a model that may not be served counts as null. */
    void offer(ResultSet rs, Snapshot snap) throws SQLException {
      long t = rs.getTimestamp("at").getTime();
      if (t < at) {
        return;
      }
      at = t;
      stored = true;
      list = !snap.servable(rs.getLong("generation")) ? null
          : new StoredList(rs.getInt("personal") == 1, strings(rs.getArray("items")), doubles(rs.getArray("scores")),
              strings(rs.getArray("sources")), strings(rs.getArray("reasons")));
    }
  }

  /** The query of {@link Snapshot}: one row. */
  static final String SNAPSHOT_SQL = """
      WITH (SELECT argMax((ready, heartbeat, complete, clock, generation), heartbeat) FROM rec_serving_state) AS s
      SELECT s.1 AS ready, s.3 AS complete, dateDiff('millisecond', s.2, now64(3, 'UTC')) AS lag_ms, s.4 AS clock,
        s.5 AS generation, (SELECT groupArray(item_id) FROM items FINAL WHERE stock = 0) AS out_of_stock""";

  /**
   * {@code recommend(person, k)} from the store over {@code c}: the person's list when the
   * refresher is ready, runs on this store's clock setting ({@code lode.model.as-of}) and has
   * folded in every change up to {@code maxLagMillis} ago, the person's latest consent is a grant (when required) and the list was computed with it;
   * otherwise, for a person without a list or without consent, the context-only list. The
   * person's complaint and return tickets are left out at call time (one query with the list
   * and the consent); items out of stock and the refresher's state are shared by all calls, at
   * most {@link #SNAPSHOT_MAX_AGE_MILLIS} old. While the refresher's full pass redoes everyone after
   * a model rebuild, a person not yet redone is served the list of the earlier model. (Order lines marked returned and new purchases arrive as
   * order-line changes, which the refresher folds into the list within its cycle.) Empty: the call
   * is to be computed live.
   */
  public Optional<List<Recommendation>> serve(Connection c, String person, int k, long maxLagMillis)
      throws SQLException {
    if (k > LIST_SIZE) {
      return Optional.empty();
    }
    Snapshot snap = snapshot(c);
    // the lists are as of the refresher's clock setting: a call configured with another clock computes live
    if (!snap.ready() || snap.lagMillis(System.nanoTime()) > maxLagMillis
        || !settings.asOf().toString().equals(snap.clock())) {
      return Optional.empty();
    }
    Newest own = new Newest();
    long consentAt = Long.MIN_VALUE;
    boolean granted = false;
    Set<String> excluded = new HashSet<>();
    List<String> orders = new ArrayList<>();
    try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(callSql(person))) {
      while (rs.next()) {
        switch (rs.getString("kind")) {
          // every stored version of the list (one once merged): the newest, as the table's merges keep
          case "list" -> own.offer(rs, snap);
          case "consent" -> {
            // the latest decision under any of the person's ids; of two at the same instant a refusal wins
            long at = rs.getTimestamp("at").getTime();
            boolean grant = rs.getInt("personal") == 1;
            if (at > consentAt || (at == consentAt && !grant)) {
              granted = grant;
              consentAt = at;
            }
          }
          case "excluded" -> {
            String item = rs.getString("item_id");
            String order = rs.getString("order_id");
            if (!item.isEmpty()) {
              excluded.add(item);
            } else if (!order.isEmpty()) {
              orders.add(order);
            }
          }
          default -> throw new IllegalStateException("unexpected row kind " + rs.getString("kind"));
        }
      }
    }
    boolean consented = !settings.consentRequired() || granted;
    StoredList unknown = snap.unknown();
    if (own.stored && own.list == null) {
      // the person's newest list is of a model not served (invalidated, or older once the pass is
      // complete): not a person without data, so not the context-only list either; computed live
      return Optional.empty();
    }
    // a list made with the person's data is served only while the consent it was made under holds;
    // without consent the context-only list is what recommend() gives, and so it is for a person
    // without a list once every person with data has one (before that, such a call computes live)
    StoredList mine = own.list;
    StoredList list = mine != null && mine.personal() && consented ? mine
        : mine != null && !consented ? unknown
        : mine == null && snap.complete() ? unknown : null;
    if (list == null || list.items().isEmpty()) {
      // an empty stored list is never an answer: it may be a person invalidated a moment before the
      // heartbeat says the pass is incomplete; the call then computes live
      return Optional.empty();
    }
    boolean personal = list == mine;
    if (personal && !orders.isEmpty()) {
      excluded.addAll(orderItems(c, orders));
    }
    return Optional.of(list.top(person, k, personal ? excluded : Set.of(), snap.outOfStock()));
  }

  /**
   * The per-call query of {@link #serve}: rows of kind {@code list} (every stored version of the
   * person's list), {@code consent} (the person's personalization decisions: {@code personal} is
   * the grant, {@code at} when it was recorded) and {@code excluded} (the person's complaint and
   * return tickets: their {@code item_id}, or the {@code order_id} of one that names no item). One
   * UNION ALL of point reads of plain rows: each sub-query, and each aggregation, would cost the
   * engine a plan or a pipeline of its own; the caller picks the newest of each.
   */
  static String callSql(String person) {
    String p = SqlLiteral.string(person);
    return listSql(person)
        + "\nUNION ALL SELECT 'consent', granted, [], [], [], [], 0, recorded_at, '', '' FROM consents"
        + " WHERE person_id = " + p + " AND purpose = 'personalization'\n"
        + "UNION ALL SELECT 'excluded', 0, [], [], [], [], 0, toDateTime64(0, 3, 'UTC'), item_id, order_id FROM tickets"
        + " WHERE person_id = " + p + " AND ticket_type IN ('complaint', 'return')";
  }

  /**
   * Every stored version of one person's list, in {@link #callSql}'s columns. (An argMax over the
   * row's arrays would copy them through the engine's generic value path: ~50 ms for two lists of
   * 100 reasons, against ~5 ms to read them.)
   */
  private static String listSql(String person) {
    return "SELECT 'list' AS kind, personal, items, scores, CAST(sources, 'Array(String)') AS sources, reasons,"
        + " generation, computed_at AS at, '' AS item_id, '' AS order_id\n"
        + "FROM rec_person_recs WHERE person_id = " + SqlLiteral.string(person);
  }

  /** The items of complaint or return tickets that name only their order: every item of the order. */
  private static List<String> orderItems(Connection c, List<String> orders) throws SQLException {
    StringBuilder in = new StringBuilder();
    for (String o : orders) {
      in.append(in.isEmpty() ? "" : ", ").append(SqlLiteral.string(o));
    }
    try (Statement st = c.createStatement();
         ResultSet rs = st.executeQuery("SELECT DISTINCT item_id FROM order_lines WHERE order_id IN (" + in + ")")) {
      List<String> out = new ArrayList<>();
      while (rs.next()) {
        out.add(rs.getString(1));
      }
      return out;
    }
  }

  private static List<String> strings(Array a) throws SQLException {
    if (a == null) {
      return List.of();
    }
    Object raw = a.getArray();
    List<String> out = new ArrayList<>();
    if (raw instanceof Object[] xs) {
      for (Object x : xs) {
        out.add(x == null ? "" : x.toString());
      }
    }
    return out;
  }

  private static List<Double> doubles(Array a) throws SQLException {
    Object raw = a.getArray();
    if (raw instanceof double[] ds) {
      return Arrays.stream(ds).boxed().toList();
    }
    List<Double> out = new ArrayList<>();
    for (Object x : (Object[]) raw) {
      out.add(((Number) x).doubleValue());
    }
    return out;
  }

}
