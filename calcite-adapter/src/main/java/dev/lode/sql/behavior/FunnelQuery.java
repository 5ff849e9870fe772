package dev.lode.sql.behavior;

import java.util.List;
import java.util.stream.Collectors;

/**
 * The per-person part of a funnel, shared by {@code funnel} and {@code funnel_people}: one
 * row per person who entered, with the step reached ({@code level}), the entry time
 * ({@code t1}, epoch ms), seconds between consecutive steps ({@code durs}, -1 when not
 * reached) and the breakdown value of the entry event ({@code b}).
 *
 * <p>Definition (what the tests recompute independently). A person's events in the range
 * are ordered by time, then by the first step they match (events equal in time, steps
 * matched and breakdown value are interchangeable). Ordered mode: the
 * person enters at their first step-1 event; each later step is the first following event
 * (a different event; equal timestamps count as following) matching that step and at most
 * {@code window} seconds after entry, inclusive. Strict mode: as ordered, but each step must
 * be the person's very next event. Unordered mode: the person enters at their first event
 * matching any step; they reach level L when L distinct steps have a matching event within
 * the window from entry.
 */
final class FunnelQuery {
  final List<EventPredicate> steps;
  final long windowMs;
  final String mode;
  final TimeRange range;
  final String breakdown;

  FunnelQuery(List<EventPredicate> steps, long windowSeconds, String mode, TimeRange range, String breakdown) {
    this.steps = steps;
    this.windowMs = windowSeconds * 1000;
    this.mode = mode;
    this.range = range;
    this.breakdown = breakdown;
  }

  /** {@code SELECT person, level, t1, durs, b FROM …} over persons who entered. */
  String perPerson() {
    int k = steps.size();
    // which steps an event matches, as bits: compact per event, and tested with bitTest
    StringBuilder mask = new StringBuilder("toUInt64(0)");
    for (int i = 0; i < k; i++) {
      mask.append(" + if(").append(steps.get(i).sql()).append(", toUInt64(").append(1L << i).append("), 0)");
    }
    StringBuilder firstStep = new StringBuilder("multiIf(");
    for (int i = 0; i < k; i++) {
      firstStep.append(steps.get(i).sql()).append(", ").append(i + 1).append(", ");
    }
    firstStep.append("255)");
    String any = steps.stream().map(EventPredicate::sql).collect(Collectors.joining(" OR "));
    String where = range.condition("event_time") + (mode.equals("strict") ? "" : " AND (" + any + ")");
    String bd = breakdown == null ? "''" : breakdown;
    StringBuilder s = new StringBuilder();
    s.append("SELECT person, level, t1, durs, b FROM (SELECT person, ev");
    if (mode.equals("unordered")) {
      s.append(", arrayFirstIndex(e -> e.3 != 0, ev) AS p1");
      s.append(", if(p1 = 0, toInt64(0), ev[p1].1) AS t1");
      s.append(", if(p1 = 0, 0, toUInt32(0)");
      for (int j = 1; j <= k; j++) {
        s.append(" + arrayExists(e -> bitTest(e.3, ").append(j - 1).append(") AND e.1 <= t1 + ").append(windowMs)
            .append(", ev)");
      }
      s.append(") AS level");
      s.append(", CAST([], 'Array(Float64)') AS durs");
    } else {
      s.append(", arrayFirstIndex(e -> bitTest(e.3, 0), ev) AS p1");
      s.append(", if(p1 = 0, toInt64(0), ev[p1].1) AS t1");
      // positions of steps 1..k, folded step by step (chained aliases would be inlined exponentially)
      String next = mode.equals("strict")
          ? "if(acc[-1] = 0 OR acc[-1] >= length(ev), toUInt64(0), if(bitTest(ev[acc[-1] + 1].3, j - 1) AND ev[acc[-1] + 1].1 <= t1 + "
              + windowMs + ", toUInt64(acc[-1] + 1), toUInt64(0)))"
          : "if(acc[-1] = 0, toUInt64(0), toUInt64(arrayFirstIndex((e, i) -> i > acc[-1] AND bitTest(e.3, j - 1) AND e.1 <= t1 + "
              + windowMs + ", ev, arrayEnumerate(ev))))";
      s.append(", arrayFold((acc, j) -> arrayPushBack(acc, ").append(next).append("), range(2, ").append(k + 1)
          .append("), [toUInt64(p1)]) AS ps");
      s.append(", toUInt32(arrayCount(x -> x > 0, ps)) AS level");
      s.append(", CAST(arrayMap(j -> if(ps[j] = 0, -1., (ev[ps[j]].1 - ev[ps[j - 1]].1) / 1000.), range(2, ")
          .append(k + 1).append(")), 'Array(Float64)') AS durs");
    }
    s.append(", if(p1 = 0, '', ev[p1].4) AS b");
    // events sorted as tuples (time, first matched step, step bits, breakdown value): events equal in all four
    // are interchangeable for the funnel, so no further tie-break is needed
    s.append(" FROM (SELECT ").append(PersonKey.EXPRESSION).append(" AS person, arraySort(groupArray((")
        .append("toUnixTimestamp64Milli(event_time), toUInt8(").append(firstStep).append("), ").append(mask)
        .append(", ").append(bd).append("))) AS ev FROM ").append(PersonKey.EVENTS).append(" WHERE ").append(where)
        .append(" GROUP BY person)) WHERE p1 > 0");
    return s.toString();
  }
}
