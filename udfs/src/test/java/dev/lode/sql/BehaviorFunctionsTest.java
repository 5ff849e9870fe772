package dev.lode.sql;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lode.identity.IdentityResolver;
import dev.lode.sql.schema.CalciteHarness;
import dev.lode.sql.schema.LodeSchemaFactory;
import dev.lode.testing.TestWarehouse;
import dev.lode.udf.LodeOperatorTable;
import dev.lode.warehouse.Warehouse;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * funnel, retention and paths through a Calcite connection over {@link LodeOperatorTable} (as
 * the server opens one, in a database of this suite's own) equal {@link Reference}'s plain-Java
 * computation over the same inserted rows: hand-made edge cases (ties, repeated steps, the
 * window edge, a person whose ids were merged mid-funnel, empty ranges) and a seeded random
 * clickstream dense with ties and gaps at the session edge. What analysts and viewers see of the
 * same functions (masked ids) is app's {@code BehaviorMaskingTest}.
 */
class BehaviorFunctionsTest {
  private static final DateTimeFormatter TS = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSS");
  /** Hand-made cases live in 2030, random data in 2031: each test reads only its own range. */
  private static final long EDGE = LocalDateTime.of(2030, 1, 1, 0, 0).toInstant(ZoneOffset.UTC).toEpochMilli();
  private static final long RANDOM = LocalDateTime.of(2031, 1, 1, 0, 0).toInstant(ZoneOffset.UTC).toEpochMilli();
  private static final List<Ev> EDGE_EVENTS = new ArrayList<>();
  private static final List<Ev> RANDOM_EVENTS = new ArrayList<>();
  /** What identity resolution made of the ids of the edge cases: id to person. */
  private static final Map<String, String> RESOLVED = new HashMap<>();
  private static String MERGED_PERSON;
  private static Warehouse warehouse;
  private static Connection calcite;

  @BeforeAll
  static void insert() throws SQLException {
    warehouse = TestWarehouse.isolated("behavior");
    calcite = CalciteHarness.connect(new LodeSchemaFactory(warehouse, new LodeOperatorTable(), 0, 1800));
    long s = 1000;
    add("tie", EDGE, "A"); add("tie", EDGE, "B"); add("tie", EDGE + s, "C");
    add("tie-reversed", EDGE, "B"); add("tie-reversed", EDGE, "A");
    add("at-edge", EDGE, "A"); add("at-edge", EDGE + 60 * s, "B"); add("at-edge", EDGE + 60 * s, "C");
    add("past-edge", EDGE, "A"); add("past-edge", EDGE + 60 * s + 1, "B");
    add("repeat", EDGE, "A"); add("repeat", EDGE + 5 * s, "A"); add("repeat", EDGE + 9 * s, "B");
    add("single-a", EDGE, "A"); add("single-a", EDGE + 2 * s, "B");
    add("no-entry", EDGE, "B"); add("no-entry", EDGE + s, "C");
    add("interrupted", EDGE, "A"); add("interrupted", EDGE + s, "X"); add("interrupted", EDGE + 2 * s, "B");
    add("late-start", EDGE, "A"); add("late-start", EDGE + 3600 * s, "A"); add("late-start", EDGE + 3610 * s, "B");
    // one person under two ids, stamped at ingest: anonymous A, then logged-in B and C
    EDGE_EVENTS.add(new Ev("merge-1", "anon-7", EDGE + 10 * s, "A", "UK", "/", "person-7"));
    EDGE_EVENTS.add(new Ev("merge-2", "user-7", EDGE + 20 * s, "B", "UK", "/", "person-7"));
    EDGE_EVENTS.add(new Ev("merge-3", "user-7", EDGE + 30 * s, "C", "UK", "/", "person-7"));
    // one person merged mid-funnel by identity resolution: A while anonymous, then a login (B, sent with both
    // ids) links anon-9 to user-9, then C; nothing was stamped at ingest
    List<Ev> merged = List.of(new Ev("resolved-1", "anon-9", EDGE + 10 * s, "A", "FR", "/", ""),
        new Ev("resolved-2", "user-9", EDGE + 20 * s, "B", "FR", "/", ""),
        new Ev("resolved-3", "user-9", EDGE + 30 * s, "C", "FR", "/", ""));
    EDGE_EVENTS.addAll(merged);

    Random r = new Random(20261122);
    long[] gaps = {0, 0, 10_000, 60_000, 600_000, 600_001, 1_800_000, 1_800_001, 3_600_000, 86_400_000};
    String[] names = {"A", "B", "C", "X"};
    String[] countries = {"UK", "FR", "DE"};
    int id = 0;
    for (int p = 0; p < 80; p++) {
      int sessions = 1 + r.nextInt(4);
      for (int ss = 0; ss < sessions; ss++) {
        long t = RANDOM + r.nextInt(14) * 86_400_000L + r.nextInt(24) * 3_600_000L;
        int n = 1 + r.nextInt(8);
        for (int i = 0; i < n; i++) {
          t += gaps[r.nextInt(gaps.length)];
          RANDOM_EVENTS.add(new Ev("r" + (id++), "rp" + p, t, names[r.nextInt(names.length)],
              countries[r.nextInt(countries.length)], "/p" + r.nextInt(3), ""));
        }
      }
    }
    try (Connection w = warehouse.connect(); Statement st = w.createStatement()) {
      Ev.insert(w, EDGE_EVENTS.stream().filter(e -> !merged.contains(e)).toList());
      Ev.insert(w, RANDOM_EVENTS);
      // as the collector stores them (received now, so the resolver's next run reads them)
      st.execute("INSERT INTO events (event_id, event_time, received_time, distinct_id, anonymous_id, user_id,"
          + " event_type, event_name, country, page, source) VALUES"
          + " ('resolved-1', '" + ts(EDGE + 10 * s) + "', now64(3), 'anon-9', 'anon-9', '', 'track', 'A', 'FR', '/', 'test'),"
          + " ('resolved-2', '" + ts(EDGE + 20 * s) + "', now64(3), 'user-9', 'anon-9', 'user-9', 'identify', 'B', 'FR', '/',"
          + " 'test'), ('resolved-3', '" + ts(EDGE + 30 * s) + "', now64(3), 'user-9', '', 'user-9', 'track', 'C', 'FR', '/',"
          + " 'test')");
      new IdentityResolver(warehouse, TestWarehouse.config()).resolve();
      List<String> persons = new ArrayList<>();
      try (ResultSet rs = st.executeQuery("SELECT person_id FROM identities_current WHERE (id_type, id_value) IN"
          + " (('anonymous_id', 'anon-9'), ('user_id', 'user-9'))")) {
        while (rs.next()) {
          persons.add(rs.getString(1));
        }
      }
      assertEquals(2, persons.size(), "the resolver knows both ids: " + persons);
      assertEquals(persons.get(0), persons.get(1), "the resolver merged anon-9 into user-9's person");
      assertTrue(!persons.get(0).isEmpty());
      MERGED_PERSON = persons.get(0);
      RESOLVED.put("anon-9", MERGED_PERSON);
      RESOLVED.put("user-9", MERGED_PERSON);
    }
  }

  @AfterAll
  static void close() throws SQLException {
    calcite.close();
  }

  /** A query's rows as the JDBC driver's objects (Integer, Long, Double, String ...). */
  private static List<List<Object>> rows(String sql) throws SQLException {
    List<List<Object>> out = new ArrayList<>();
    try (Statement st = calcite.createStatement(); ResultSet rs = st.executeQuery(sql)) {
      int n = rs.getMetaData().getColumnCount();
      while (rs.next()) {
        List<Object> row = new ArrayList<>();
        for (int i = 1; i <= n; i++) {
          row.add(rs.getObject(i));
        }
        out.add(row);
      }
    }
    return out;
  }

  private static void add(String person, long ts, String name) {
    EDGE_EVENTS.add(new Ev(person + "-" + EDGE_EVENTS.size(), person, ts, name, "", "", ""));
  }

  private static String ts(long millis) {
    return TS.format(LocalDateTime.ofEpochSecond(Math.floorDiv(millis, 1000), Math.floorMod(millis, 1000) * 1_000_000,
        ZoneOffset.UTC));
  }

  private static List<Predicate<Ev>> steps(String spec) {
    List<Predicate<Ev>> out = new ArrayList<>();
    for (String name : spec.split(",")) {
      out.add(e -> e.name().equals(name));
    }
    return out;
  }

  private static String fmt(Object o) {
    if (o instanceof Double d) {
      return String.format(Locale.ROOT, "%.9f", d);
    }
    return String.valueOf(o);
  }

  private static List<String> funnelSql(String steps, long window, String mode, long from, long to, boolean bd)
      throws SQLException {
    String sql = "SELECT step, breakdown, persons, conversion_from_previous, conversion_from_first,"
        + " median_seconds_from_previous, p90_seconds_from_previous FROM TABLE(funnel('" + steps + "', " + window + ", '"
        + mode + "', '" + ts(from) + "', '" + ts(to) + "'" + (bd ? ", 'country'" : "") + "))";
    return rows(sql).stream().map(r -> r.stream().map(BehaviorFunctionsTest::fmt)
        .collect(Collectors.joining(" | "))).toList();
  }

  private static List<String> funnelRef(List<Ev> events, String steps, long window, String mode, long from, long to,
                                        boolean bd) {
    return Reference.funnel(events, RESOLVED, steps(steps), window, mode, from, to, bd).stream()
        .map(r -> String.join(" | ", fmt(r.step()), r.breakdown(), fmt(r.persons()), fmt(r.fromPrevious()),
            fmt(r.fromFirst()), fmt(r.median()), fmt(r.p90())))
        .toList();
  }

  @Test
  void funnelEdgeCasesMatchTheReference() throws SQLException {
    long to = EDGE + 86_400_000L;
    for (String mode : List.of("ordered", "strict", "unordered", "window_funnel")) {
      for (String steps : List.of("A,B,C", "A,A,B", "A,B", "B,A")) {
        assertEquals(funnelRef(EDGE_EVENTS, steps, 60, mode, EDGE, to, false),
            funnelSql(steps, 60, mode, EDGE, to, false), mode + " funnel " + steps);
      }
    }
  }

  @Test
  void funnelEdgeCasesAreWhatTheDefinitionSays() throws SQLException {
    // persons entering A,B,C with a 60 s window: tie, tie-reversed, at-edge, past-edge, repeat, single-a,
    // interrupted, late-start, person-7, the merged person = 10; reaching B: tie, tie-reversed, at-edge, repeat,
    // single-a, interrupted, person-7, merged = 8 (past-edge is 1 ms late, late-start's B is an hour after its
    // first A); reaching C: tie, at-edge, person-7, merged = 4
    List<List<Object>> rows = rows("SELECT step, persons FROM TABLE(funnel('A,B,C', 60, 'ordered', '"
        + ts(EDGE) + "', '" + ts(EDGE + 86_400_000L) + "')) ORDER BY step");
    assertEquals(List.of(List.of(1, 10L), List.of(2, 8L), List.of(3, 4L)), rows);
    // repeated step: A,A needs two A events, one event never counts twice
    List<List<Object>> repeated = rows("SELECT persons FROM TABLE(funnel('A,A', 60, 'ordered', '"
        + ts(EDGE) + "', '" + ts(EDGE + 86_400_000L) + "')) WHERE step = 2");
    assertEquals(List.of(List.of(1L)), repeated); // only "repeat" has two A within 60 s
  }

  @Test
  void eventsBeyondThePackedTimeRangeAreLeftOutNotWrapped() throws SQLException {
    // a funnel of up to 16 steps packs times into an Int64 that ends in May 2109; events a wrong clock dated
    // 2150 are left out (before, they wrapped around to negative keys and sorted before every real event)
    long y2150 = LocalDateTime.parse("2150-01-01T00:00:00").toEpochSecond(ZoneOffset.UTC) * 1000;
    try (Connection w = warehouse.connect()) {
      Ev.insert(w, List.of(new Ev("ff-1", "ff-early", EDGE, "FA", "", "", ""),
          new Ev("ff-2", "ff-early", y2150, "FB", "", "", ""),
          new Ev("ff-3", "ff-late", y2150, "FA", "", "", ""), new Ev("ff-4", "ff-late", y2150 + 1000, "FB", "", "", ""),
          new Ev("ff-5", "ff-now", EDGE, "FA", "", "", ""), new Ev("ff-6", "ff-now", EDGE + 1000, "FB", "", "", "")));
    }
    try {
      assertEquals(List.of(List.of(1, 2L), List.of(2, 1L)), rows("SELECT step, persons FROM TABLE(funnel("
          + "'FA,FB', 60)) ORDER BY step"));
    } finally {
      // the other tests of this class read every event of this database
      try (Connection w = warehouse.connect(); Statement st = w.createStatement()) {
        st.execute("ALTER TABLE events DELETE WHERE event_id LIKE 'ff-%' SETTINGS mutations_sync = 2");
      }
    }
  }

  @Test
  void emptyRangeGivesZeroRows() throws SQLException {
    long from = EDGE - 86_400_000L;
    assertEquals(funnelRef(EDGE_EVENTS, "A,B,C", 60, "ordered", from, EDGE, false),
        funnelSql("A,B,C", 60, "ordered", from, EDGE, false));
    assertEquals(List.of("1 |  | 0 | null | null | null | null", "2 |  | 0 | null | null | null | null",
        "3 |  | 0 | null | null | null | null"), funnelSql("A,B,C", 60, "ordered", from, EDGE, false));
    assertEquals(List.of(), rows("SELECT * FROM TABLE(retention('A', 'B', 'day', 3, 'first_time', '"
        + ts(from) + "', '" + ts(EDGE) + "'))"));
    assertEquals(List.of(), rows("SELECT * FROM TABLE(paths('A', 'after', 3, '" + ts(from) + "', '"
        + ts(EDGE) + "'))"));
  }

  @Test
  void randomFunnelsMatchTheReference() throws SQLException {
    long to = RANDOM + 15 * 86_400_000L;
    for (String mode : List.of("ordered", "strict", "unordered", "window_funnel")) {
      for (String steps : List.of("A,B,C", "A,B,A,C", "X,A")) {
        for (boolean bd : List.of(false, true)) {
          assertEquals(funnelRef(RANDOM_EVENTS, steps, 600, mode, RANDOM, to, bd),
              funnelSql(steps, 600, mode, RANDOM, to, bd), mode + " funnel " + steps + " breakdown " + bd);
        }
      }
    }
    // a narrower range cuts persons' histories in the middle
    long from = RANDOM + 3 * 86_400_000L;
    long mid = RANDOM + 9 * 86_400_000L;
    assertEquals(funnelRef(RANDOM_EVENTS, "A,B", 3600, "ordered", from, mid, false),
        funnelSql("A,B", 3600, "ordered", from, mid, false));
  }

  @Test
  void twentyStepFunnel() throws SQLException {
    String steps = String.join(",", java.util.Collections.nCopies(10, "A,B"));
    long to = RANDOM + 15 * 86_400_000L;
    for (String mode : List.of("ordered", "window_funnel")) {
      List<String> sql = funnelSql(steps, 86_400 * 14, mode, RANDOM, to, false);
      assertEquals(20, sql.size());
      assertEquals(funnelRef(RANDOM_EVENTS, steps, 86_400 * 14, mode, RANDOM, to, false), sql, mode);
    }
  }

  private static List<String> retentionSql(String period, int periods, String mode, long from, long to)
      throws SQLException {
    return rows("SELECT cohort_start, period_number, cohort_persons, returned_persons, rate FROM"
        + " TABLE(retention('A', 'B', '" + period + "', " + periods + ", '" + mode + "', '" + ts(from) + "', '" + ts(to)
        + "'))").stream().map(r -> r.stream().map(BehaviorFunctionsTest::fmt).collect(Collectors.joining(" | ")))
        .toList();
  }

  private static List<String> retentionRef(String period, int periods, boolean recurring, long from, long to) {
    return Reference.retention(RANDOM_EVENTS, "A", "B", period, periods, recurring, from, to).stream()
        .map(r -> String.join(" | ", r.cohort().toString(), fmt(r.period()), fmt(r.cohortPersons()),
            fmt(r.returned()), fmt((double) r.returned() / r.cohortPersons())))
        .toList();
  }

  @Test
  void retentionMatchesTheReference() throws SQLException {
    long to = RANDOM + 10 * 86_400_000L;
    for (String period : List.of("day", "week", "month")) {
      assertEquals(retentionRef(period, 7, false, RANDOM, to), retentionSql(period, 7, "first_time", RANDOM, to),
          "first_time " + period);
      assertEquals(retentionRef(period, 7, true, RANDOM, to), retentionSql(period, 7, "recurring", RANDOM, to),
          "recurring " + period);
    }
    long from = RANDOM + 2 * 86_400_000L;
    assertEquals(retentionRef("day", 3, false, from, to), retentionSql("day", 3, "first_time", from, to));
  }

  private static List<String> pathsSql(String anchor, String direction, int depth, long from, long to, long gap)
      throws SQLException {
    return rows("SELECT step, from_event, to_event, persons, share FROM TABLE(paths('" + anchor + "', '"
        + direction + "', " + depth + ", '" + ts(from) + "', '" + ts(to) + "', " + gap + "))").stream()
        .map(r -> r.stream().map(BehaviorFunctionsTest::fmt).collect(Collectors.joining(" | "))).toList();
  }

  private static List<String> pathsRef(List<Ev> events, String anchor, boolean after, int depth, long from, long to,
                                       long gap) {
    return Reference.paths(events, RESOLVED, anchor, after, depth, from, to, gap).stream()
        .map(r -> String.join(" | ", fmt(r.step()), r.from(), r.to(), fmt(r.persons()), fmt(r.share()))).toList();
  }

  @Test
  void pathsMatchTheReference() throws SQLException {
    long to = RANDOM + 15 * 86_400_000L;
    for (String anchor : List.of("A", "X")) {
      for (boolean after : List.of(true, false)) {
        for (long gap : List.of(1800L, 600L)) {
          List<String> expected = pathsRef(RANDOM_EVENTS, anchor, after, 4, RANDOM, to, gap);
          assertTrue(!expected.isEmpty());
          assertEquals(expected, pathsSql(anchor, after ? "after" : "before", 4, RANDOM, to, gap),
              "paths " + anchor + (after ? " after" : " before") + " gap " + gap);
        }
      }
    }
    long edgeTo = EDGE + 86_400_000L;
    assertEquals(pathsRef(EDGE_EVENTS, "A", true, 3, EDGE, edgeTo, 1800),
        pathsSql("A", "after", 3, EDGE, edgeTo, 1800));
  }

  @Test
  void funnelPeopleAreTheDropOffCohort() throws SQLException {
    long to = EDGE + 86_400_000L;
    List<List<Object>> dropped = rows("SELECT person_id FROM TABLE(funnel_people('A,B,C', 60, 3, 'dropped',"
        + " 'ordered', '" + ts(EDGE) + "', '" + ts(to) + "')) ORDER BY person_id");
    // reached B but not C: tie-reversed, repeat, single-a, interrupted
    assertEquals(List.of(List.of("interrupted"), List.of("repeat"), List.of("single-a"), List.of("tie-reversed")),
        dropped);
    List<List<Object>> reached = rows("SELECT f.person_id, f.reached_step FROM TABLE(funnel_people('A,B,C',"
        + " 60, 3, 'reached', 'ordered', '" + ts(EDGE) + "', '" + ts(to) + "')) AS f ORDER BY f.person_id");
    List<List<Object>> expected = new ArrayList<>(List.of(List.of("at-edge", 3), List.of("person-7", 3),
        List.of("tie", 3), List.of(MERGED_PERSON, 3)));
    expected.sort(java.util.Comparator.comparing(r -> (String) r.get(0)));
    assertEquals(expected, reached);
  }
}
