package dev.lode.sql;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lode.config.Credentials;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.apache.calcite.runtime.Hook;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Joins of four and five relations — events ⋈ persons ⋈ orders ⋈ order_lines ⋈ items, in the
 * left-deep order a BI tool writes and in bushy shapes — run as one ClickHouse query (the
 * generated SQL is asserted) and give the rows of a nested-loop join computed here.
 */
class ManyJoinsTest {
  private static final List<String> GENERATED = new CopyOnWriteArrayList<>();
  private static final Consumer<Object> CAPTURE = sql -> GENERATED.add(String.valueOf(sql));
  private static Hook.Closeable hook;
  private static final String WARM_UP = "SELECT COUNT(*) FROM `lode`.`events` WHERE `event_name` = ''";

  private record Person(String id, String country) {
  }

  private record Order(String id, String person, String status) {
  }

  private record Line(String order, int lineNo, String item, int quantity) {
  }

  private record Item(String id, String category) {
  }

  private static final List<Person> PERSONS = List.of(new Person("mj-p1", "UK"), new Person("mj-p2", "FR"),
      new Person("mj-p3", "DE"));
  /** person of each event: mj-p1 three times, mj-p2 twice, mj-p3 (no orders) once, and an unknown person. */
  private static final List<String> EVENTS = List.of("mj-p1", "mj-p1", "mj-p1", "mj-p2", "mj-p2", "mj-p3", "mj-px");
  private static final List<Order> ORDERS = List.of(new Order("mj-o1", "mj-p1", "completed"),
      new Order("mj-o2", "mj-p1", "cancelled"), new Order("mj-o3", "mj-p2", "completed"));
  private static final List<Line> LINES = List.of(new Line("mj-o1", 1, "mj-i1", 2), new Line("mj-o1", 2, "mj-i2", 1),
      new Line("mj-o2", 1, "mj-i1", 5), new Line("mj-o3", 1, "mj-i3", 4), new Line("mj-o3", 2, "mj-i9", 1));
  private static final List<Item> ITEMS = List.of(new Item("mj-i1", "mj-garden"), new Item("mj-i2", "mj-kitchen"),
      new Item("mj-i3", "mj-garden"));

  @BeforeAll
  @SuppressWarnings("deprecation") // process-wide: the server plans on its own threads
  static void data() throws SQLException {
    hook = Hook.QUERY_PLAN.add(CAPTURE);
    try (Connection w = SqlClient.warehouse(); Statement st = w.createStatement()) {
      List<Ev> events = new ArrayList<>();
      for (int i = 0; i < EVENTS.size(); i++) {
        events.add(new Ev("mj-e" + i, "mj-d" + i, 1_960_000_000_000L + i * 1000L, "mj_event", "", "", EVENTS.get(i)));
      }
      Ev.insert(w, events);
      st.execute("INSERT INTO persons (person_id, created_at, updated_at, country) VALUES " + String.join(", ",
          PERSONS.stream().map(p -> "('" + p.id() + "', now(), now(), '" + p.country() + "')").toList()));
      st.execute("INSERT INTO orders (order_id, person_id, order_time, status, loaded_at) VALUES " + String.join(", ",
          ORDERS.stream().map(o -> "('" + o.id() + "', '" + o.person() + "', now(), '" + o.status() + "', now())")
              .toList()));
      st.execute("INSERT INTO order_lines (order_id, line_no, item_id, quantity, order_time, loaded_at) VALUES "
          + String.join(", ", LINES.stream().map(l -> "('" + l.order() + "', " + l.lineNo() + ", '" + l.item() + "', "
              + l.quantity() + ", now(), now())").toList()));
      st.execute("INSERT INTO items (item_id, category, loaded_at) VALUES " + String.join(", ",
          ITEMS.stream().map(i -> "('" + i.id() + "', '" + i.category() + "', now())").toList()));
    }
  }

  @AfterAll
  static void unhook() {
    hook.close();
  }

  /** Runs a query as an admin (the join keys are raw person ids); returns its rows and its one ClickHouse query. */
  private static String run(String sql, List<List<String>> rows) throws SQLException {
    GENERATED.clear();
    try (Connection c = SqlClient.connect(Credentials.Role.ADMIN); Statement st = c.createStatement()) {
      for (List<Object> r : SqlClient.rows(st, sql)) {
        rows.add(r.stream().map(String::valueOf).toList());
      }
    }
    // the server's background warm-up query may land in the capture of the first test
    GENERATED.removeIf(g -> g.replaceAll("\\s+", " ").equals(WARM_UP));
    assertEquals(1, GENERATED.size(), "not one ClickHouse query:\n" + String.join("\n---\n", GENERATED));
    String generated = GENERATED.get(0).replaceAll("\\s+", " ");
    assertFalse(generated.startsWith("SELECT * FROM `lode`.`events`"), generated);
    return generated;
  }

  private static int count(String generated, String word) {
    return generated.split(word, -1).length - 1;
  }

  /** category → [rows, quantity] over events ⋈ persons ⋈ orders (status) ⋈ order_lines ⋈ items. */
  private static Map<String, long[]> byCategory(String status) {
    Map<String, long[]> out = new TreeMap<>();
    for (String e : EVENTS) {
      for (Person p : PERSONS) {
        for (Order o : ORDERS) {
          for (Line l : LINES) {
            for (Item i : ITEMS) {
              if (e.equals(p.id()) && o.person().equals(p.id()) && l.order().equals(o.id()) && i.id().equals(l.item())
                  && (status == null || o.status().equals(status))) {
                long[] a = out.computeIfAbsent(i.category(), k -> new long[2]);
                a[0]++;
                a[1] += l.quantity();
              }
            }
          }
        }
      }
    }
    return out;
  }

  private static List<List<String>> rows(Map<String, long[]> m) {
    return m.entrySet().stream().map(e -> List.of(e.getKey(), Long.toString(e.getValue()[0]),
        Long.toString(e.getValue()[1]))).toList();
  }

  @Test
  void fiveTablesAsABiToolWritesThem() throws SQLException {
    List<List<String>> rows = new ArrayList<>();
    String sql = run("SELECT i.category, COUNT(*), SUM(l.quantity) FROM events e"
        + " JOIN persons p ON e.person_id = p.person_id JOIN orders o ON o.person_id = p.person_id"
        + " JOIN order_lines l ON l.order_id = o.order_id JOIN items i ON i.item_id = l.item_id"
        + " WHERE e.event_name = 'mj_event' GROUP BY i.category ORDER BY i.category", rows);
    assertEquals(4, count(sql, " JOIN "), sql);
    assertTrue(sql.contains("GROUP BY"), sql);
    assertEquals(rows(byCategory(null)), rows);
  }

  @Test
  void bushyJoinsWrittenWithParentheses() throws SQLException {
    List<List<String>> rows = new ArrayList<>();
    String sql = run("SELECT i.category, COUNT(*), SUM(l.quantity)"
        + " FROM (events e JOIN persons p ON e.person_id = p.person_id)"
        + " JOIN ((orders o JOIN order_lines l ON l.order_id = o.order_id) JOIN items i ON i.item_id = l.item_id)"
        + " ON o.person_id = p.person_id"
        + " WHERE e.event_name = 'mj_event' AND o.status = 'completed' GROUP BY i.category ORDER BY i.category", rows);
    assertEquals(4, count(sql, " JOIN "), sql);
    assertEquals(rows(byCategory("completed")), rows);
  }

  @Test
  void joinWithAnAggregatedSubQuery() throws SQLException {
    // persons with events, their completed order lines by country: the sub-query must not become a
    // semi-join, which Calcite would run in the JVM over every raw event
    Map<String, Long> expected = new TreeMap<>();
    for (Person p : PERSONS) {
      if (!EVENTS.contains(p.id())) {
        continue;
      }
      for (Order o : ORDERS) {
        for (Line l : LINES) {
          for (Item i : ITEMS) {
            if (o.person().equals(p.id()) && o.status().equals("completed") && l.order().equals(o.id())
                && i.id().equals(l.item())) {
              expected.merge(p.country() + "/" + i.category(), (long) l.quantity(), Long::sum);
            }
          }
        }
      }
    }
    List<List<String>> rows = new ArrayList<>();
    String sql = run("SELECT p.country, i.category, SUM(l.quantity) FROM persons p"
        + " JOIN orders o ON o.person_id = p.person_id JOIN order_lines l ON l.order_id = o.order_id"
        + " JOIN items i ON i.item_id = l.item_id"
        + " JOIN (SELECT person_id, COUNT(*) AS n FROM events WHERE event_name = 'mj_event' GROUP BY person_id) ev"
        + " ON ev.person_id = p.person_id WHERE o.status = 'completed' GROUP BY p.country, i.category"
        + " ORDER BY p.country, i.category", rows);
    assertEquals(4, count(sql, " JOIN "), sql);
    assertEquals(expected.entrySet().stream().map(e -> List.of(e.getKey().split("/")[0], e.getKey().split("/")[1],
        Long.toString(e.getValue()))).toList(), rows);
  }

  @Test
  void inAndExistsSubQueriesRunInClickHouse() throws SQLException {
    long withCompletedOrder = EVENTS.stream().filter(e -> ORDERS.stream()
        .anyMatch(o -> o.person().equals(e) && o.status().equals("completed"))).count();
    List<List<String>> rows = new ArrayList<>();
    String sql = run("SELECT COUNT(*) FROM events WHERE event_name = 'mj_event'"
        + " AND person_id IN (SELECT person_id FROM orders WHERE status = 'completed')", rows);
    assertTrue(sql.contains("JOIN"), sql);
    assertEquals(List.of(List.of(Long.toString(withCompletedOrder))), rows);
    long withAnyOrder = EVENTS.stream().filter(e -> ORDERS.stream().anyMatch(o -> o.person().equals(e))).count();
    rows.clear();
    run("SELECT COUNT(*) FROM events e WHERE e.event_name = 'mj_event'"
        + " AND EXISTS (SELECT 1 FROM orders o WHERE o.person_id = e.person_id)", rows);
    assertEquals(List.of(List.of(Long.toString(withAnyOrder))), rows);
  }
}
