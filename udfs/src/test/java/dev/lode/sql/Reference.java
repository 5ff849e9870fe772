package dev.lode.sql;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.time.temporal.TemporalAdjusters;
import java.time.DayOfWeek;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/**
 * Funnel, retention and paths computed in plain Java over the events a test inserted, from
 * the definitions in docs/sql.md — written separately from the SQL so the two can disagree.
 */
final class Reference {
  private Reference() {
  }

  /** One funnel output row, compared field by field with what the server returns. */
  record FunnelRow(int step, String breakdown, long persons, Double fromPrevious, Double fromFirst, Double median,
                   Double p90) {
  }

  /**
   * The person of each id among the events a function read, as docs/sql.md defines it: the
   * person identity resolution gave the id ({@code resolved}, id to person), else the greatest
   * person stamped at ingest on those events of the id, else the id.
   */
  static Map<String, String> persons(List<Ev> read, Map<String, String> resolved) {
    Map<String, String> out = new HashMap<>();
    for (Ev e : read) {
      String ingest = e.personId();
      out.merge(e.person(), ingest, (a, b) -> a.compareTo(b) >= 0 ? a : b);
    }
    out.replaceAll((id, ingest) -> resolved.containsKey(id) ? resolved.get(id) : ingest.isEmpty() ? id : ingest);
    return out;
  }

  private static Map<String, List<Ev>> byPerson(List<Ev> read, Map<String, String> resolved) {
    Map<String, String> person = persons(read, resolved);
    return read.stream().collect(Collectors.groupingBy(e -> person.get(e.person()), TreeMap::new,
        Collectors.toList()));
  }

  static List<FunnelRow> funnel(List<Ev> all, List<Predicate<Ev>> steps, long windowSeconds, String mode,
                                long from, long to, boolean breakdownByCountry) {
    return funnel(all, Map.of(), steps, windowSeconds, mode, from, to, breakdownByCountry);
  }

  static List<FunnelRow> funnel(List<Ev> all, Map<String, String> resolved, List<Predicate<Ev>> steps,
                                long windowSeconds, String mode, long from, long to, boolean breakdownByCountry) {
    int k = steps.size();
    long w = windowSeconds * 1000;
    List<Ev> read = new ArrayList<>();
    for (Ev e : all) {
      if (e.ts() < from || e.ts() >= to) {
        continue;
      }
      boolean matchesAny = steps.stream().anyMatch(p -> p.test(e));
      if (!mode.equals("strict") && !matchesAny) {
        continue;
      }
      read.add(e);
    }
    Map<String, List<Ev>> byPerson = byPerson(read, resolved);
    // breakdown -> level counts and durations per step
    Map<String, long[]> counts = new TreeMap<>();
    Map<String, List<List<Double>>> durations = new HashMap<>();
    for (List<Ev> evs : byPerson.values()) {
      // documented order: time, first matched step; events equal in time, matched steps and breakdown
      // value are interchangeable, and among those differing only in breakdown the smaller value comes first
      evs.sort(Comparator.comparingLong(Ev::ts).thenComparingInt(e -> firstStep(steps, e))
          .thenComparingLong(e -> mask(steps, e)).thenComparing(Ev::country).thenComparing(Ev::id));
      int level;
      int entry;
      double[] durs = new double[k + 1];
      if (mode.equals("window_funnel")) {
        // ClickHouse's windowFunnel as its documentation and source describe it: (time, step) pairs, one per
        // step an event matches, in that order; path[j] is the latest path that reached step j + 1
        List<long[]> pairs = new ArrayList<>();
        for (int i = 0; i < evs.size(); i++) {
          for (int j = 0; j < k; j++) {
            if (steps.get(j).test(evs.get(i))) {
              pairs.add(new long[] {evs.get(i).ts(), j});
            }
          }
        }
        pairs.sort(Comparator.<long[]>comparingLong(x -> x[0]).thenComparingLong(x -> x[1]));
        long[][] path = new long[k][];
        for (long[] pr : pairs) {
          int j = (int) pr[1];
          if (path[k - 1] != null) {
            break;
          }
          if (j == 0) {
            path[0] = new long[] {pr[0]};
          } else if (path[j - 1] != null && pr[0] <= path[j - 1][0] + w) {
            path[j] = java.util.Arrays.copyOf(path[j - 1], j + 1);
            path[j][j] = pr[0];
          }
        }
        level = 0;
        while (level < k && path[level] != null) {
          level++;
        }
        if (level == 0) {
          continue;
        }
        // the breakdown is that of the person's first step-1 event, as in ordered mode
        entry = -1;
        for (int i = 0; i < evs.size() && entry < 0; i++) {
          entry = steps.get(0).test(evs.get(i)) ? i : -1;
        }
        for (int j = 2; j <= level; j++) {
          durs[j] = (path[level - 1][j - 1] - path[level - 1][j - 2]) / 1000.0;
        }
      } else if (mode.equals("unordered")) {
        entry = -1;
        for (int i = 0; i < evs.size(); i++) {
          Ev e = evs.get(i);
          if (steps.stream().anyMatch(p -> p.test(e))) {
            entry = i;
            break;
          }
        }
        if (entry < 0) {
          continue;
        }
        long t0 = evs.get(entry).ts();
        level = 0;
        for (Predicate<Ev> step : steps) {
          boolean hit = false;
          for (int i = entry; i < evs.size(); i++) {
            if (step.test(evs.get(i)) && evs.get(i).ts() <= t0 + w) {
              hit = true;
            }
          }
          level += hit ? 1 : 0;
        }
      } else {
        entry = -1;
        for (int i = 0; i < evs.size(); i++) {
          if (steps.get(0).test(evs.get(i))) {
            entry = i;
            break;
          }
        }
        if (entry < 0) {
          continue;
        }
        long t1 = evs.get(entry).ts();
        level = 1;
        int pos = entry;
        for (int j = 1; j < k; j++) {
          int found = -1;
          if (mode.equals("strict")) {
            int i = pos + 1;
            if (i < evs.size() && steps.get(j).test(evs.get(i)) && evs.get(i).ts() <= t1 + w) {
              found = i;
            }
          } else {
            for (int i = pos + 1; i < evs.size(); i++) {
              if (steps.get(j).test(evs.get(i)) && evs.get(i).ts() <= t1 + w) {
                found = i;
                break;
              }
            }
          }
          if (found < 0) {
            break;
          }
          durs[j + 1] = (evs.get(found).ts() - evs.get(pos).ts()) / 1000.0;
          pos = found;
          level++;
        }
      }
      String b = breakdownByCountry ? evs.get(entry).country() : "";
      long[] c = counts.computeIfAbsent(b, x -> new long[k + 1]);
      List<List<Double>> d = durations.computeIfAbsent(b, x -> {
        List<List<Double>> l = new ArrayList<>();
        for (int i = 0; i <= k; i++) {
          l.add(new ArrayList<>());
        }
        return l;
      });
      for (int j = 1; j <= level; j++) {
        c[j]++;
        if (j >= 2 && !mode.equals("unordered")) {
          d.get(j).add(durs[j]);
        }
      }
    }
    if (counts.isEmpty() && !breakdownByCountry) {
      counts.put("", new long[k + 1]);
      durations.put("", new ArrayList<>());
    }
    List<FunnelRow> out = new ArrayList<>();
    for (var en : counts.entrySet()) {
      long[] c = en.getValue();
      for (int j = 1; j <= k; j++) {
        Double prev = j == 1 ? (c[1] == 0 ? null : 1.0) : (c[j - 1] == 0 ? null : (double) c[j] / c[j - 1]);
        Double first = c[1] == 0 ? null : (double) c[j] / c[1];
        Double median = null;
        Double p90 = null;
        List<List<Double>> dl = durations.get(en.getKey());
        if (j >= 2 && dl != null && !dl.isEmpty() && !dl.get(j).isEmpty()) {
          List<Double> sorted = dl.get(j).stream().sorted().toList();
          median = sorted.get((int) Math.floor(0.5 * sorted.size()));
          p90 = sorted.get((int) Math.floor(0.9 * sorted.size()));
        }
        out.add(new FunnelRow(j, en.getKey(), c[j], prev, first, median, p90));
      }
    }
    return out;
  }

  private static long mask(List<Predicate<Ev>> steps, Ev e) {
    long m = 0;
    for (int i = 0; i < steps.size(); i++) {
      if (steps.get(i).test(e)) {
        m |= 1L << i;
      }
    }
    return m;
  }

  private static int firstStep(List<Predicate<Ev>> steps, Ev e) {
    for (int i = 0; i < steps.size(); i++) {
      if (steps.get(i).test(e)) {
        return i + 1;
      }
    }
    return 255;
  }

  /** One retention output row. */
  record RetentionRow(LocalDate cohort, int period, long cohortPersons, long returned) {
  }

  static List<RetentionRow> retention(List<Ev> all, String startEvent, String returnEvent, String period, int periods,
                                      boolean recurring, long from, long to) {
    // what the function reads: start events in [from, to), return events from `from` on
    Map<String, List<Ev>> byPerson = byPerson(all.stream().filter(e -> e.ts() >= from
        && (e.name().equals(startEvent) && e.ts() < to || e.name().equals(returnEvent))).toList(), Map.of());
    // cohort -> [persons, returned per period]
    Map<LocalDate, long[]> table = new TreeMap<>();
    for (List<Ev> evs : byPerson.values()) {
      List<Long> starts = evs.stream().filter(e -> e.name().equals(startEvent) && e.ts() < to).map(Ev::ts).sorted()
          .toList();
      if (starts.isEmpty()) {
        continue;
      }
      List<Long> cohortStarts = new ArrayList<>();
      if (recurring) {
        Set<Long> seen = new HashSet<>();
        for (long s : starts) {
          if (seen.add(periodNumber(s, period))) {
            cohortStarts.add(s);
          }
        }
      } else {
        cohortStarts.add(starts.get(0));
      }
      for (long s : cohortStarts) {
        long[] row = table.computeIfAbsent(periodStart(s, period), x -> new long[periods + 2]);
        row[0]++;
        Set<Long> returnedIn = new HashSet<>();
        for (Ev e : evs) {
          if (e.name().equals(returnEvent) && e.ts() >= s) {
            long n = periodNumber(e.ts(), period) - periodNumber(s, period);
            if (n <= periods) {
              returnedIn.add(n);
            }
          }
        }
        for (long n : returnedIn) {
          row[(int) n + 1]++;
        }
      }
    }
    List<RetentionRow> out = new ArrayList<>();
    for (var en : table.entrySet()) {
      for (int n = 0; n <= periods; n++) {
        out.add(new RetentionRow(en.getKey(), n, en.getValue()[0], en.getValue()[n + 1]));
      }
    }
    return out;
  }

  private static long periodNumber(long ts, String period) {
    LocalDate d = Instant.ofEpochMilli(ts).atZone(ZoneOffset.UTC).toLocalDate();
    return switch (period) {
      case "day" -> d.toEpochDay();
      case "week" -> Math.floorDiv(d.toEpochDay() + 3, 7); // 1970-01-01 was a Thursday; weeks start on Monday
      default -> d.getYear() * 12L + d.getMonthValue();
    };
  }

  private static LocalDate periodStart(long ts, String period) {
    LocalDate d = Instant.ofEpochMilli(ts).atZone(ZoneOffset.UTC).toLocalDate();
    return switch (period) {
      case "day" -> d;
      case "week" -> d.with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY));
      default -> d.withDayOfMonth(1);
    };
  }

  /** One paths output row. */
  record PathRow(int step, String from, String to, long persons, double share) {
  }

  static List<PathRow> paths(List<Ev> all, String anchor, boolean after, int depth, long from, long to,
                             long gapSeconds) {
    return paths(all, Map.of(), anchor, after, depth, from, to, gapSeconds);
  }

  static List<PathRow> paths(List<Ev> all, Map<String, String> resolved, String anchor, boolean after, int depth,
                             long from, long to, long gapSeconds) {
    Map<String, List<Ev>> byPerson = byPerson(all.stream().filter(e -> e.ts() >= from && e.ts() < to).toList(),
        resolved);
    Map<List<Object>, Set<String>> edges = new HashMap<>();
    Set<String> anchored = new HashSet<>();
    for (var en : byPerson.entrySet()) {
      List<Ev> evs = new ArrayList<>(en.getValue());
      evs.sort(Comparator.comparingLong(Ev::ts).thenComparing(Ev::id));
      int start = 0;
      for (int i = 1; i <= evs.size(); i++) {
        boolean boundary = i == evs.size() || evs.get(i).ts() - evs.get(i - 1).ts() > gapSeconds * 1000;
        if (!boundary) {
          continue;
        }
        List<Ev> session = evs.subList(start, i);
        start = i;
        int a = -1;
        for (int j = 0; j < session.size(); j++) {
          if (session.get(j).name().equals(anchor)) {
            a = j;
            break;
          }
        }
        if (a < 0) {
          continue;
        }
        anchored.add(en.getKey());
        for (int s = 1; s <= depth; s++) {
          int x = after ? a + s - 1 : a - s;
          int y = after ? a + s : a - s + 1;
          if (x < 0 || y >= session.size()) {
            break;
          }
          edges.computeIfAbsent(List.of(s, session.get(x).name(), session.get(y).name()), q -> new HashSet<>())
              .add(en.getKey());
        }
      }
    }
    List<PathRow> out = new ArrayList<>();
    for (var en : edges.entrySet()) {
      out.add(new PathRow((Integer) en.getKey().get(0), (String) en.getKey().get(1), (String) en.getKey().get(2),
          en.getValue().size(), (double) en.getValue().size() / anchored.size()));
    }
    out.sort(Comparator.comparingInt(PathRow::step).thenComparing(Comparator.comparingLong(PathRow::persons).reversed())
        .thenComparing(PathRow::from).thenComparing(PathRow::to));
    return out;
  }

  static long days(long n) {
    return ChronoUnit.DAYS.getDuration().toMillis() * n;
  }
}
