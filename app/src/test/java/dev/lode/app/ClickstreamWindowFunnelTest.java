package dev.lode.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lode.testing.ResultText;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Clickstream files loaded as a user loads them — {@code bin/lode load events FILE --mapping M}
 * — then, from one {@code bin/lode serve} over JDBC (the Avatica driver for Lode SQL; the
 * server's warehouse for ClickHouse SQL, as {@code bin/lode sql --native} reaches it): for
 * windows of 10 minutes, an hour, a day and a week, the 3-step funnel product view → cart →
 * purchase in {@code window_funnel} mode (Lode SQL) equals ClickHouse's own {@code windowFunnel}
 * asked natively of the loaded events, step by step, and the first-entry {@code ordered} mode
 * equals a plain-Java reading of the files written here.
 *
 * <p>Two layouts, told apart by the first line: Taobao's UserBehavior ({@code user_id,item_id,
 * category_id,behavior,timestamp}, no header, epoch seconds; the built-in {@code clickstream}
 * mapping) and RetailRocket's {@code events.csv} ({@code timestamp,visitorid,event,itemid,
 * transactionid}, epoch milliseconds; a mapping written here as a user would, visitors as
 * anonymous ids). Always: a synthetic clickstream generated here, half of its users in each
 * layout (it has re-entries, equal timestamps and carts before views, so the two models differ
 * on it). Also, when {@code -Dlode.test.clickstream=FILE} or {@code LODE_TEST_CLICKSTREAM} names
 * a file in either layout, that file — docs/sql.md names the public sample used and how to
 * fetch it.
 */
class ClickstreamWindowFunnelTest {
  private static final List<Long> WINDOWS = List.of(600L, 3600L, 86_400L, 7 * 86_400L);
  private static final List<String> STEPS = List.of("product_view", "add_to_cart", "purchase");
  /** The built-in clickstream mapping's names for Taobao's behaviors (fav is no step). */
  private static final Map<String, String> TAOBAO = Map.of("pv", "product_view", "cart", "add_to_cart", "fav",
      "add_to_wishlist", "buy", "purchase");
  /** RetailRocket's events as the mapping below names them. */
  private static final Map<String, String> RETAILROCKET = Map.of("view", "product_view", "addtocart", "add_to_cart",
      "transaction", "purchase");
  private static final String RETAILROCKET_HEADER = "timestamp,visitorid,event,itemid,transactionid";
  /** What a user writes to load RetailRocket's events.csv. */
  private static final String RETAILROCKET_MAPPING = """
      {"kind": "events", "format": "csv", "header": true, "source": "retailrocket",
       "fields": {
         "anonymous_id": "visitorid", "item_id": "itemid", "event_type": {"const": "track"},
         "event_name": {"from": "event", "strict": true,
                        "map": {"view": "product_view", "addtocart": "add_to_cart", "transaction": "purchase"}},
         "event_time": {"from": "timestamp", "format": "epoch_ms"},
         "properties": {"columns": ["transactionid"]}}}
      """;
  private static final String FROM = "2017-01-01 00:00:00";
  private static final String TO = "2018-01-01 00:00:00";

  @TempDir
  Path home;

  @Test
  void syntheticClickstream() throws Exception {
    Path work = Files.createDirectories(home.resolve("work"));
    Path taobao = work.resolve("UserBehavior.csv");
    Path retailRocket = work.resolve("events.csv");
    Files.writeString(taobao, synthetic(1, 450, 17, false));
    Files.writeString(retailRocket, synthetic(451, 900, 18, true));
    compare(List.of(taobao, retailRocket));
  }

  @Test
  void realClickstream() throws Exception {
    String named = System.getProperty("lode.test.clickstream", System.getenv("LODE_TEST_CLICKSTREAM"));
    Assumptions.assumeTrue(named != null && Files.isRegularFile(Path.of(named)), "no real clickstream: name a"
        + " file in the Taobao UserBehavior layout with -Dlode.test.clickstream=FILE or LODE_TEST_CLICKSTREAM"
        + " (docs/sql.md: which public sample, and how to fetch it)");
    compare(List.of(Path.of(named).toAbsolutePath()));
  }

  /** Loads the files through the CLI and compares both modes for every window; prints the figures. */
  private void compare(List<Path> files) throws Exception {
    long start = System.nanoTime();
    Path cwd = Files.createDirectories(home.resolve("work"));
    Files.writeString(cwd.resolve("retailrocket.json"), RETAILROCKET_MAPPING);
    LodeCli cli = new LodeCli(home);
    List<Ev> all = new ArrayList<>();
    StringBuilder loads = new StringBuilder();
    for (Path file : files) {
      boolean retailRocket = retailRocket(file);
      LodeCli.Result load = cli.launch(cwd, "load", "events", file.toString(), "--mapping",
          retailRocket ? "retailrocket.json" : "clickstream");
      assertEquals(0, load.code(), load.out());
      System.out.print(load.out());
      loads.append(load.out());
      List<Ev> read = read(file, retailRocket);
      // every line the plain reading takes is loaded, and only those
      Matcher count = Pattern.compile("\\n\\s*loaded\\s+([\\d,]+)\\n").matcher(load.out());
      assertTrue(count.find(), load.out());
      assertEquals(read.size(), Long.parseLong(count.group(1).replace(",", "")), load.out());
      all.addAll(read);
    }
    long loaded = System.nanoTime();
    long from = LocalDateTime.parse(FROM.replace(' ', 'T')).toInstant(ZoneOffset.UTC).toEpochMilli();
    long to = LocalDateTime.parse(TO.replace(' ', 'T')).toInstant(ZoneOffset.UTC).toEpochMilli();
    List<Ev> events = all.stream().filter(e -> e.ts() >= from && e.ts() < to).toList();
    List<List<String>> nativeRows;
    List<List<String>> lodeRows;
    // one server, both questions over JDBC (a bin/lode sql JVM each cost more than the queries)
    try (LodeCli.Server server = cli.serve(); Connection clickhouse = server.nativeSql();
        Connection lode = server.lodeSql()) {
      nativeRows = rows(clickhouse, windowFunnelSql());
      // a clickstream brings no consent: with consent required (the default) every load says that no list is personal
      assertEquals(List.of(List.of("0")), rows(clickhouse, "SELECT toString(countIf(granted = 1)) FROM consents FINAL"));
      assertEquals(files.size(), loads.toString().split("personalization: OFF for everyone", -1).length - 1,
          loads.toString());
      lodeRows = rows(lode, lodeSql());
    }
    long queried = System.nanoTime();

    // mode, window, step -> persons
    Map<String, Long> fromLode = new TreeMap<>();
    // (the mode literals are CHAR(13): Calcite pads 'ordered' in the union)
    lodeRows.forEach(r -> fromLode.put(r.get(0).strip() + " " + r.get(1) + " " + r.get(2), Long.parseLong(r.get(3))));
    StringBuilder figures = new StringBuilder(files.stream().map(f -> f.getFileName().toString())
        .collect(Collectors.joining(" + ")) + ": " + events.size() + " events read, "
        + events.stream().map(Ev::user).distinct().count() + " users\n");
    List<String> differences = new ArrayList<>();
    for (long w : WINDOWS) {
      long[] ordered = ordered(events, w * 1000);
      for (int step = 1; step <= STEPS.size(); step++) {
        long clickhouse = persons(nativeRows, w, step);
        long windowFunnel = fromLode.getOrDefault("window_funnel " + w + " " + step, -1L);
        long lodeOrdered = fromLode.getOrDefault("ordered " + w + " " + step, -1L);
        assertEquals(clickhouse, windowFunnel, "window_funnel vs windowFunnel, window " + w + " s, step " + step);
        assertEquals(ordered[step - 1], lodeOrdered, "ordered vs the reference, window " + w + " s, step " + step);
        figures.append(String.format("  window %7d s  step %d  windowFunnel %6d  window_funnel %6d  ordered %6d"
            + "  reference %6d%n", w, step, clickhouse, windowFunnel, lodeOrdered, ordered[step - 1]));
        if (windowFunnel != lodeOrdered) {
          differences.add(w + " s step " + step);
        }
      }
    }
    assertTrue(ordered(events, 0)[0] > 100, "entries: " + figures);
    assertTrue(!differences.isEmpty(), "the two entry models never differed: " + figures);
    figures.append(String.format("  load %.1f s, serve and query %.1f s%n", (loaded - start) / 1e9,
        (queried - loaded) / 1e9));
    System.out.print(figures);
  }

  private static long persons(List<List<String>> rows, long window, int step) {
    return rows.stream().filter(r -> Long.parseLong(r.get(0)) == window && Integer.parseInt(r.get(1)) == step)
        .mapToLong(r -> Long.parseLong(r.get(2))).findFirst().orElse(-1);
  }

  /** ClickHouse's windowFunnel per visitor (distinct_id) over the loaded events, one UNION ALL branch per window. */
  private static String windowFunnelSql() {
    String conditions = STEPS.stream().map(s -> "event_name = '" + s + "'").collect(Collectors.joining(", "));
    return WINDOWS.stream().map(w -> "SELECT toInt64(" + w + ") AS window_s, toInt32(k) AS step,"
        + " countIf(level >= k) AS persons FROM (SELECT distinct_id, windowFunnel(" + w * 1000 + ")(toUInt64("
        + "toUnixTimestamp64Milli(event_time)), " + conditions + ") AS level FROM events"
        + " WHERE event_time >= toDateTime64('" + FROM + "', 3, 'UTC') AND event_time < toDateTime64('" + TO
        + "', 3, 'UTC') GROUP BY distinct_id) ARRAY JOIN range(1, " + (STEPS.size() + 1) + ") AS k GROUP BY k")
        .collect(Collectors.joining(" UNION ALL ")) + " ORDER BY window_s, step";
  }

  /** Lode's funnel in both modes for every window, one statement of Lode SQL. */
  private static String lodeSql() {
    List<String> branches = new ArrayList<>();
    for (String mode : List.of("window_funnel", "ordered")) {
      for (long w : WINDOWS) {
        branches.add("SELECT '" + mode + "' AS mode, " + w + " AS window_s, step, persons FROM TABLE(funnel('"
            + String.join(",", STEPS) + "', " + w + ", '" + mode + "', '" + FROM + "', '" + TO + "'))");
      }
    }
    return String.join(" UNION ALL ", branches);
  }

  /** The rows of a query, each column as its string. */
  private static List<List<String>> rows(Connection c, String sql) throws Exception {
    try (Statement s = c.createStatement()) {
      return ResultText.rows(s, sql);
    }
  }

  /** One line that a mapping loads: the visitor, the event's name in Lode, milliseconds since the epoch. */
  record Ev(String user, String name, long ts) {
  }

  private static boolean retailRocket(Path file) throws Exception {
    try (var lines = Files.lines(file, StandardCharsets.UTF_8)) {
      return lines.findFirst().orElse("").strip().equals(RETAILROCKET_HEADER);
    }
  }

  /**
   * A file read without Lode: its distinct lines (a repeated line is one event, as the loader's
   * key is the line's content) of five fields, a known event and a numeric time (the loader
   * quarantines others).
   */
  private static List<Ev> read(Path file, boolean retailRocket) throws Exception {
    List<Ev> out = new ArrayList<>();
    List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    for (String line : new LinkedHashSet<>(retailRocket ? lines.subList(1, lines.size()) : lines)) {
      String[] f = line.split(",", -1);
      if (f.length != 5) {
        continue;
      }
      String user = (retailRocket ? f[1] : f[0]).strip();
      String event = (retailRocket ? f[2] : f[3]).strip();
      String time = (retailRocket ? f[0] : f[4]).strip();
      Map<String, String> names = retailRocket ? RETAILROCKET : TAOBAO;
      if (user.isEmpty() || !time.matches("\\d+") || !names.containsKey(event)) {
        continue;
      }
      out.add(new Ev(user, names.get(event), Long.parseLong(time) * (retailRocket ? 1 : 1000)));
    }
    return out;
  }

  /**
   * Persons reaching each step in first-entry mode as docs/sql.md defines it, per user: events
   * of the steps in time order (equal times in step order); entry at the first product view,
   * then each step the first later event of it at most {@code windowMs} after entry.
   */
  private static long[] ordered(List<Ev> events, long windowMs) {
    Map<String, List<Ev>> byUser = new HashMap<>();
    for (Ev e : events) {
      if (STEPS.contains(e.name())) {
        byUser.computeIfAbsent(e.user(), u -> new ArrayList<>()).add(e);
      }
    }
    long[] reached = new long[STEPS.size()];
    for (List<Ev> evs : byUser.values()) {
      evs.sort(Comparator.comparingLong(Ev::ts).thenComparingInt(e -> STEPS.indexOf(e.name())));
      int at = -1;
      for (int i = 0; i < evs.size(); i++) {
        if (evs.get(i).name().equals(STEPS.get(0))) {
          at = i;
          break;
        }
      }
      if (at < 0) {
        continue;
      }
      long entry = evs.get(at).ts();
      int level = 1;
      for (int step = 1; step < STEPS.size(); step++) {
        int next = -1;
        for (int i = at + 1; i < evs.size() && evs.get(i).ts() <= entry + windowMs; i++) {
          if (evs.get(i).name().equals(STEPS.get(step))) {
            next = i;
            break;
          }
        }
        if (next < 0) {
          break;
        }
        at = next;
        level++;
      }
      for (int l = 0; l < level; l++) {
        reached[l]++;
      }
    }
    return reached;
  }

  /**
   * Users {@code first} to {@code last} of a clickstream, in Taobao's layout or RetailRocket's:
   * each user visits a few times (hours to days apart), a visit is a run of views with carts,
   * wishlist adds (Taobao) and purchases seconds to minutes apart, some at the same instant, some
   * carts before any view.
   */
  private static String synthetic(int first, int last, long seed, boolean retailRocket) {
    Random r = new Random(seed);
    StringBuilder out = new StringBuilder(retailRocket ? RETAILROCKET_HEADER + "\n" : "");
    long base = 1_511_481_600_000L; // 2017-11-24, the real Taobao data's week
    int transaction = 0;
    for (int u = first; u <= last; u++) {
      long t = base + r.nextInt(86_400_000 * 3);
      int visits = 1 + r.nextInt(4);
      for (int v = 0; v < visits; v++) {
        int n = 1 + r.nextInt(12);
        for (int i = 0; i < n; i++) {
          double x = r.nextDouble();
          int kind = x < 0.70 ? 0 : x < 0.85 ? 1 : x < 0.92 ? 2 : 3;
          int item = 1000 + r.nextInt(500);
          if (retailRocket) {
            // RetailRocket has no wishlist: its third kind of event is the transaction
            String event = kind == 0 ? "view" : kind == 1 || kind == 2 ? "addtocart" : "transaction";
            out.append(t).append(',').append(u).append(',').append(event).append(',').append(item).append(',')
                .append(kind == 3 ? String.valueOf(++transaction) : "").append('\n');
          } else {
            out.append(u).append(',').append(item).append(',').append(10 + r.nextInt(20)).append(',')
                .append(List.of("pv", "cart", "fav", "buy").get(kind)).append(',').append(t / 1000).append('\n');
          }
          t += r.nextInt(5) == 0 ? 0 : 1 + r.nextInt(r.nextBoolean() ? 90_000 : 900_000);
        }
        t += r.nextBoolean() ? 3_600_000 + r.nextInt(6 * 3_600_000) : 86_400_000 + r.nextInt(3 * 86_400_000);
      }
    }
    return out.toString();
  }
}
