package dev.lode.sql;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A clickstream file in the public UserBehavior layout ({@code user_id,item_id,category_id,
 * behavior,timestamp}; behaviors pv, cart, fav, buy) loaded into events, then funnel,
 * retention and paths through the Avatica driver against {@link Reference}. The file is a
 * small synthetic sample in that layout, loaded here with plain JDBC until the batch loader
 * can load it.
 */
class ClickstreamTest {
  private static final List<Ev> EVENTS = new ArrayList<>();
  private static final String FROM = "2017-11-25 00:00:00.000";
  private static final String TO = "2017-12-04 00:00:00.000";
  private static final long FROM_MS = 1_511_568_000_000L;
  private static final long TO_MS = FROM_MS + 9 * 86_400_000L;

  @BeforeAll
  static void load() throws IOException, SQLException {
    try (BufferedReader in = new BufferedReader(new InputStreamReader(
        ClickstreamTest.class.getResourceAsStream("/clickstream/user_behavior_sample.csv"), StandardCharsets.UTF_8))) {
      String header = in.readLine();
      assertEquals("user_id,item_id,category_id,behavior,timestamp", header);
      String line;
      int n = 0;
      while ((line = in.readLine()) != null) {
        String[] f = line.split(",");
        EVENTS.add(new Ev("cs-" + (n++), "cs-" + f[0], Long.parseLong(f[4]) * 1000, f[3], "", f[2], ""));
      }
    }
    assertTrue(EVENTS.size() > 500, EVENTS.size() + " events");
    try (Connection w = SqlClient.warehouse()) {
      Ev.insert(w, EVENTS);
    }
  }

  private static String fmt(Object o) {
    return o instanceof Double d ? String.format(Locale.ROOT, "%.9f", d) : String.valueOf(o);
  }

  private static List<String> rows(String sql) throws SQLException {
    return SqlClient.rows(sql).stream().map(r -> r.stream().map(ClickstreamTest::fmt).collect(Collectors.joining(" | ")))
        .toList();
  }

  @Test
  void funnelMatchesTheReference() throws SQLException {
    List<Predicate<Ev>> steps = List.of(e -> e.name().equals("pv"), e -> e.name().equals("cart"),
        e -> e.name().equals("buy"));
    for (String mode : List.of("ordered", "strict", "unordered")) {
      List<String> expected = Reference.funnel(EVENTS, steps, 86_400, mode, FROM_MS, TO_MS, false).stream()
          .map(r -> String.join(" | ", fmt(r.step()), fmt(r.persons()), fmt(r.fromPrevious()), fmt(r.fromFirst()),
              fmt(r.median()), fmt(r.p90())))
          .toList();
      assertEquals(expected, rows("SELECT step, persons, conversion_from_previous, conversion_from_first,"
          + " median_seconds_from_previous, p90_seconds_from_previous FROM TABLE(funnel('pv,cart,buy', 86400, '" + mode
          + "', '" + FROM + "', '" + TO + "'))"), mode);
    }
  }

  @Test
  void retentionMatchesTheReference() throws SQLException {
    for (boolean recurring : List.of(false, true)) {
      List<String> expected = Reference.retention(EVENTS, "pv", "buy", "day", 7, recurring, FROM_MS, TO_MS).stream()
          .map(r -> String.join(" | ", r.cohort().toString(), fmt(r.period()), fmt(r.cohortPersons()),
              fmt(r.returned())))
          .toList();
      assertEquals(expected, rows("SELECT cohort_start, period_number, cohort_persons, returned_persons"
          + " FROM TABLE(retention('pv', 'buy', 'day', 7, '" + (recurring ? "recurring" : "first_time") + "', '" + FROM
          + "', '" + TO + "'))"));
    }
  }

  @Test
  void pathsMatchTheReference() throws SQLException {
    for (boolean after : List.of(true, false)) {
      List<String> expected = Reference.paths(EVENTS, "cart", after, 3, FROM_MS, TO_MS, 1800).stream()
          .map(r -> String.join(" | ", fmt(r.step()), r.from(), r.to(), fmt(r.persons()), fmt(r.share()))).toList();
      assertTrue(!expected.isEmpty());
      assertEquals(expected, rows("SELECT step, from_event, to_event, persons, share FROM TABLE(paths('cart', '"
          + (after ? "after" : "before") + "', 3, '" + FROM + "', '" + TO + "'))"));
    }
  }
}
