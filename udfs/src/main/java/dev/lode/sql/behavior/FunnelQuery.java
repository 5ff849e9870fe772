package dev.lode.sql.behavior;

import java.math.BigInteger;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The per-person part of a funnel, shared by {@code funnel} and {@code funnel_people}: one
 * row per person who entered, with the step reached ({@code level}), the entry time
 * ({@code t1}, epoch ms), seconds between consecutive steps ({@code durs}, -1 when not
 * reached) and the breakdown value of the entry event ({@code b}).
 *
 * <p>Definition (what the tests recompute independently). A person ({@link PersonKey}) has
 * their events in the range ordered by time, then by the first step they match, then by the
 * set of steps they match (as a bit mask, lowest first), then by breakdown value; events equal
 * in all of these are interchangeable. Ordered mode: the person enters at their first step-1
 * event; each later step is the first following event (a different event; equal timestamps
 * count as following) matching that step and at most {@code window} seconds after entry,
 * inclusive. Strict mode: as ordered, but each step must be the person's very next event.
 * Unordered mode: the person enters at their first event matching any step; they reach level
 * L when L distinct steps have a matching event within the window from entry. Window-funnel
 * mode: ClickHouse's {@code windowFunnel(window)}, exactly — the furthest step any step-1 event
 * leads to within the window (see {@link #windowFunnel}); one event matching several steps can
 * stand for each of them, and the times are those of the latest-starting path to that step.
 *
 * <p>How it stays cheap at tens of millions of events: each event becomes one integer — its
 * time in milliseconds shifted left past a 6-bit "first step" and a step bit mask — so the
 * per-person sequence is a plain numeric array (collected and sorted without tuples or
 * strings), its order is exactly the definition's, and the window test is one comparison of
 * packed values. Up to 16 steps the integer is an Int64, which holds event times from 1830
 * to May 2109 (less the window): later events, which only a wrong clock can produce, are left
 * out of such funnels rather than wrapped around to the start of time. Beyond 16 steps it is
 * an Int128. The breakdown value of the entry event is a min() over (key, value) pairs, not
 * carried through the arrays.
 */
final class FunnelQuery {
  final List<EventPredicate> steps;
  final long windowMs;
  final String mode;
  final TimeRange range;
  final String breakdown;
  private final EventSource source;
  /** Bits below the time: the first step matched (5 or 6 bits) over the step mask (16 or 32 bits). */
  private final int shift;
  private final int maskBits;
  private final String type;

  FunnelQuery(List<EventPredicate> steps, long windowSeconds, String mode, TimeRange range, String breakdown,
              EventSource source) {
    this.steps = steps;
    this.windowMs = windowSeconds * 1000;
    this.mode = mode;
    this.range = range;
    this.breakdown = breakdown;
    this.source = source;
    boolean wide = steps.size() > 16;
    this.maskBits = wide ? 32 : 16;
    this.shift = maskBits + (wide ? 6 : 5);
    this.type = wide ? "Int128" : "Int64";
  }

  /** The ClickHouse key of one event: time, first step matched (k + 1 for none) and step mask. */
  private String key() {
    int k = steps.size();
    StringBuilder first = new StringBuilder("multiIf(");
    StringBuilder mask = new StringBuilder();
    for (int i = 0; i < k; i++) {
      String p = steps.get(i).sql();
      first.append(p).append(", ").append(i + 1).append(", ");
      mask.append(i == 0 ? "" : " + ").append("if(").append(p).append(", ").append(1L << i).append(", 0)");
    }
    first.append(k + 1).append(')');
    return "bitShiftLeft(to" + type + "(toUnixTimestamp64Milli(event_time)), " + shift + ") + bitShiftLeft(to" + type
        + "(" + first + "), " + maskBits + ") + to" + type + "(" + mask + ")";
  }

  /** The largest key, standing for "no step-1 event" in min(). */
  private String maxKey() {
    BigInteger max = BigInteger.TWO.pow(type.equals("Int64") ? 63 : 127).subtract(BigInteger.ONE);
    return "to" + type + "('" + max + "')";
  }

  /** Whether packed key {@code x} matches step {@code j} (0-based); bitTest is not defined on Int128. */
  private static String matches(String x, int j) {
    return "bitAnd(" + x + ", " + (1L << j) + ") != 0";
  }

  /** The latest event time (ms) an Int64 key holds with the window added to it without overflow. */
  private long latestPackedMillis() {
    return (1L << (63 - shift)) - 1 - windowMs;
  }

  /** The time in ms of packed key {@code x}. */
  private String time(String x) {
    return "bitShiftRight(" + x + ", " + shift + ")";
  }

  /** The last packed key within the window of entry key {@code x}. */
  private String windowEnd(String x) {
    return "bitOr(bitShiftLeft(" + time(x) + " + " + windowMs + ", " + shift + "), " + ((1L << shift) - 1) + ")";
  }

  /** {@code SELECT person, level, t1, durs, b FROM …} over persons who entered. */
  String perPerson() {
    int k = steps.size();
    String any = steps.stream().map(EventPredicate::sql).collect(Collectors.joining(" OR "));
    String where = range.condition("event_time") + (mode.equals("strict") ? "" : " AND (" + any + ")")
        + (type.equals("Int64") ? " AND toUnixTimestamp64Milli(event_time) <= " + latestPackedMillis() : "");
    String b = breakdown == null ? "''" : breakdown;
    boolean unordered = mode.equals("unordered");
    // the entry event's (key, breakdown): the first event at all (unordered) or the first step-1 event
    // (only with a breakdown: a min() over strings is not free)
    String entry = breakdown == null ? "tuple(0, '')"
        : unordered ? "min((key, b))" : "min((if(" + matches("key", 0) + ", key, " + maxKey() + "), b))";
    // the event's key and breakdown as WITH expressions, so that the stage reads the events relation directly
    // (on a cluster: grouped on the shards)
    String perId = PersonKey.perId(source, "(" + key() + ") AS key, (" + b + ") AS b",
        "groupArray(key) AS ks, " + entry + " AS e", where);
    String persons = "SELECT person, arraySort(groupArrayArray(ks)) AS ks, min(e) AS e FROM ("
        + PersonKey.resolve(source, perId, "ks, e") + ") GROUP BY person";
    if (mode.equals("window_funnel")) {
      return windowFunnel(persons, k);
    }
    if (unordered) {
      long all = (1L << k) - 1;
      return "SELECT person, toUInt32(bitCount(arrayReduce('groupBitOr', arrayMap(x -> toUInt64(bitAnd(x, " + all
          + ")), arrayFilter(x -> x <= " + windowEnd("ks[1]") + ", ks))))) AS level, toInt64(" + time("ks[1]") + ") AS t1,"
          + " CAST([], 'Array(Float64)') AS durs, e.2 AS b FROM (" + persons + ")";
    }
    // p1 … pk: positions of the steps in the sorted keys (0 = not reached), one sub-query per step
    // so that each reads the previous position as a column
    String cols = "person, ks, e, L, p1";
    String s = "SELECT person, ks, e, arrayFirstIndex(x -> " + matches("x", 0) + ", ks) AS p1, " + windowEnd("ks[p1]") + " AS L"
        + " FROM (" + persons + ") WHERE p1 > 0";
    for (int j = 2; j <= k; j++) {
      String prev = "p" + (j - 1);
      String next = mode.equals("strict")
          ? "if(" + prev + " = 0 OR " + prev + " >= length(ks), 0, if(" + matches("ks[" + prev + " + 1]", j - 1)
              + " AND ks[" + prev + " + 1] <= L, " + prev + " + 1, 0))"
          : "if(" + prev + " = 0, 0, arrayFirstIndex((x, i) -> i > " + prev + " AND " + matches("x", j - 1)
              + " AND x <= L, ks, arrayEnumerate(ks)))";
      s = "SELECT " + cols + ", " + next + " AS p" + j + " FROM (" + s + ")";
      cols += ", p" + j;
    }
    StringBuilder reached = new StringBuilder("toUInt32(0)");
    StringBuilder durs = new StringBuilder("[");
    for (int j = 1; j <= k; j++) {
      reached.append(" + (p").append(j).append(" > 0)");
      if (j >= 2) {
        durs.append(j == 2 ? "" : ", ").append("if(p").append(j).append(" = 0, -1., (").append(time("ks[p" + j + "]"))
            .append(" - ").append(time("ks[p" + (j - 1) + "]")).append(") / 1000.)");
      }
    }
    durs.append("]");
    return "SELECT person, toUInt32(" + reached + ") AS level, toInt64(" + time("ks[p1]") + ") AS t1, CAST(" + durs
        + ", 'Array(Float64)') AS durs, e.2 AS b FROM (" + s + ")";
  }

  /**
   * Window-funnel mode, ClickHouse's {@code windowFunnel} pass over the {@code persons} rows:
   * every (event, step it matches) pair becomes an entry, sorted by time then step number (as
   * windowFunnel sorts its (timestamp, condition) pairs); walking them, slot j holds the latest
   * path reaching step j — a step-1 entry starts a new path in slot 1, a step-j entry extends
   * slot j-1's path when it is within the window of that path's start — until slot k fills.
   * The level is the number of filled slots; times and the entry are those of the last slot's path.
   */
  private String windowFunnel(String persons, int k) {
    long all = (1L << k) - 1;
    String entries = "arraySort(arrayFlatten(arrayMap(x -> arrayMap(j -> bitShiftLeft(toInt64(" + time("x") + "), 6) + j,"
        + " arrayFilter(j -> bitTest(toUInt64(bitAnd(x, " + all + ")), j - 1), range(1, " + (k + 1) + "))), ks)))";
    // the time and the step of entry e, and acc with slot n replaced by the extended (or new) path
    String t = "bitShiftRight(e, 6)";
    String step = "bitAnd(e, 63)";
    String extend = "arrayMap((s, n) -> if(n = " + step + ", multiIf(n = 1, [" + t + "], notEmpty(acc[n - 1]) AND " + t
        + " <= acc[n - 1][1] + " + windowMs + ", arrayPushBack(acc[n - 1], " + t + "), s), s), acc, arrayEnumerate(acc))";
    String fold = "arrayFold((acc, e) -> if(notEmpty(acc[" + k + "]), acc, " + extend + "), " + entries + ", CAST("
        + "arrayWithConstant(" + k + ", []), 'Array(Array(Int64))'))";
    String levels = "SELECT person, e, slots, toUInt32(arrayCount(s -> notEmpty(s), slots)) AS level FROM (SELECT person,"
        + " e, " + fold + " AS slots FROM (" + persons + "))";
    String path = "slots[level]";
    return "SELECT person, level, " + path + "[1] AS t1, CAST(arrayMap(j -> if(j <= level, (" + path + "[j] - " + path
        + "[j - 1]) / 1000., -1.), range(2, " + (k + 1) + ")), 'Array(Float64)') AS durs, e.2 AS b FROM (" + levels
        + ") WHERE level > 0";
  }
}
