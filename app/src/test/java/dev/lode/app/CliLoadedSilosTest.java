package dev.lode.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import dev.lode.testing.SiloFiles;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Silo files loaded as a new user loads them — {@code bin/lode load} with mapping files of the
 * user's own: an order history in Online Retail's layout keyed by a customer number only, a help
 * desk export keyed by an email only, and a CRM file linking the two — then {@code bin/lode profiles
 * refresh} and {@code bin/lode serve}: every customer's profile (orders, revenue to the cent,
 * first/last order, recency as of the data, the RFM scores, tickets) equals a plain-Java reading
 * of the same files written here, and {@code recommend()} over SQL gives each customer the item
 * most often bought together with what they bought. (The same join on the loader's Java API, with
 * web events, is customer's {@code LoadedSilosJoinPersonTest}.)
 */
class CliLoadedSilosTest {
  private static final DateTimeFormatter ISO = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");

  // A teapot, B cups, C napkins, D lantern, E candle, F vase; a cancellation, guest checkouts, cents
  private static final String ORDERS = """
      InvoiceNo,StockCode,Description,Quantity,InvoiceDate,UnitPrice,CustomerID,Country
      536001,A,WHITE TEAPOT,2,2011-03-01 09:15:00,4.95,12345.0,United Kingdom
      536002,A,WHITE TEAPOT,1,2011-11-20 11:00:00,4.95,12345.0,United Kingdom
      536002,C,PAPER NAPKINS,12,2011-11-20 11:00:00,0.85,12345.0,United Kingdom
      C536003,A,WHITE TEAPOT,-1,2011-11-21 08:00:00,4.95,12345.0,United Kingdom
      536004,D,RED LANTERN,4,2011-04-02 16:30:00,3.39,12346.0,France
      536005,D,RED LANTERN,1,2011-05-09 10:05:00,3.39,12346.0,France
      536005,D,RED LANTERN,1,2011-05-09 10:05:00,3.39,12346.0,France
      536010,A,WHITE TEAPOT,1,2011-02-01 10:00:00,4.95,20001.0,United Kingdom
      536010,B,TEA CUPS SET,2,2011-02-01 10:00:00,7.65,20001.0,United Kingdom
      536011,A,WHITE TEAPOT,1,2011-06-02 10:00:00,4.95,20002.0,United Kingdom
      536011,B,TEA CUPS SET,1,2011-06-02 10:00:00,7.65,20002.0,United Kingdom
      536012,A,WHITE TEAPOT,1,2011-09-03 10:00:00,4.95,20003.0,United Kingdom
      536012,B,TEA CUPS SET,1,2011-09-03 10:00:00,7.65,20003.0,United Kingdom
      536013,A,WHITE TEAPOT,1,2011-09-04 10:00:00,4.95,20003.0,United Kingdom
      536014,D,RED LANTERN,2,2011-02-05 10:00:00,3.39,20004.0,France
      536014,E,CANDLE HOLDER,1,2011-02-05 10:00:00,2.10,20004.0,France
      536015,D,RED LANTERN,1,2011-07-06 10:00:00,3.39,20005.0,France
      536015,E,CANDLE HOLDER,3,2011-07-06 10:00:00,2.10,20005.0,France
      536016,D,RED LANTERN,1,2011-02-07 10:00:00,3.39,,France
      536016,E,CANDLE HOLDER,1,2011-02-07 10:00:00,2.10,,France
      536017,A,WHITE TEAPOT,1,2011-08-08 10:00:00,4.95,20006.0,United Kingdom
      536017,C,PAPER NAPKINS,24,2011-08-08 10:00:00,0.85,20006.0,United Kingdom
      536018,F,BLUE VASE,1,2011-12-09 12:00:00,338.49,20007.0,United Kingdom
      536019,F,BLUE VASE,1,2011-10-10 10:00:00,9.99,,United Kingdom
      """;

  @TempDir
  Path home;

  /** What the files say about one customer, read here without Lode. */
  record Expected(Set<String> orders, BigDecimal revenue, LocalDateTime first, LocalDateTime last, long tickets) {
  }

  @Test
  void loadedFilesGiveTheProfilesAndRecommendationsThePlainReadingGives() throws Exception {
    Path cwd = Files.createDirectories(home.resolve("work"));
    for (Map.Entry<String, String> f : Map.of("orders.csv", ORDERS, "orders.json", SiloFiles.ORDERS_MAPPING,
        "tickets.csv", SiloFiles.TICKETS, "tickets.json", SiloFiles.TICKETS_MAPPING, "crm.csv", SiloFiles.CRM,
        "crm.json", SiloFiles.CRM_MAPPING).entrySet()) {
      Files.writeString(cwd.resolve(f.getKey()), f.getValue());
    }
    // the trained ease source ties with basket on a shop this small (EaseModelTest covers it): the question here
    // is whose purchases the co-occurrence source sees
    LodeCli cli = new LodeCli(home, List.of("-Dlode.recommend.consent-required=false", "-Dlode.recommend.weight.ease=0"));
    // as the user types them, through bin/lode, from the directory holding the files
    for (List<String> load : List.of(List.of("orders", "orders.csv", "orders.json"),
        List.of("tickets", "tickets.csv", "tickets.json"), List.of("persons", "crm.csv", "crm.json"))) {
      LodeCli.Result r = cli.launch(cwd, "load", load.get(0), load.get(1), "--mapping", load.get(2));
      assertEquals(0, r.code(), r.out());
      assertTrue(r.out().contains("identity resolution: "), r.out());
    }
    LodeCli.Result refresh = cli.launch(cwd, "profiles", "refresh");
    assertEquals(0, refresh.code(), refresh.out());

    Map<String, Expected> expected = reference();
    // auto: the files lie in the past, so the clock is just after their newest record (ticket T-2)
    Instant asOf = Instant.parse("2011-12-15T09:00:00.001Z");
    try (LodeCli.Server server = cli.serve()) {
      // asked while the server's first model build is due (10 s after its start): through the running
      // server's warehouse, as the user would once it is up
      LodeCli.Result profiles = cli.launch(cwd, "sql", "--native", "--format", "csv", "SELECT i.id_value AS customer,"
          + " p.orders, toString(p.revenue) AS revenue, toString(p.first_order_at) AS first,"
          + " toString(p.last_order_at) AS last, p.recency_days, p.r_score, p.f_score, p.m_score, p.tickets,"
          + " toString(p.interest_as_of) AS as_of, p.person_id"
          + " FROM profiles AS p INNER JOIN (SELECT id_value, any(person_id) AS person_id FROM identities_current"
          + " WHERE id_type = 'customer_no' GROUP BY id_value) AS i ON i.person_id = p.person_id ORDER BY customer");
      assertEquals(0, profiles.code(), profiles.out());
      List<String> rows = profiles.out().lines().skip(1).toList();
      assertEquals(expected.keySet().stream().toList(), rows.stream().map(l -> l.split(",")[0]).toList(),
          "one profile per customer number: " + profiles.out());
      Map<String, int[]> rfm = rfm(expected);
      Map<String, String> persons = new TreeMap<>();
      for (String row : rows) {
        String[] f = row.split(",");
        String customer = f[0];
        Expected x = expected.get(customer);
        assertEquals(x.orders().size(), Long.parseLong(f[1]), "orders of " + customer);
        assertEquals(0, x.revenue().compareTo(new BigDecimal(f[2])), "revenue of " + customer + ": " + f[2]);
        assertEquals(x.first().format(ISO) + ".000", f[3], "first order of " + customer);
        assertEquals(x.last().format(ISO) + ".000", f[4], "last order of " + customer);
        assertEquals(ChronoUnit.DAYS.between(x.last().toLocalDate(), asOf.atOffset(ZoneOffset.UTC).toLocalDate()),
            Long.parseLong(f[5]), "recency of " + customer + " as of the data");
        int[] s = rfm.get(customer);
        assertEquals(List.of(s[0], s[1], s[2]), List.of(Integer.parseInt(f[6]), Integer.parseInt(f[7]),
            Integer.parseInt(f[8])), "r, f, m of " + customer);
        assertEquals(x.tickets(), Long.parseLong(f[9]), "tickets of " + customer);
        assertEquals("2011-12-15 09:00:00.001", f[10], "the refresh's clock");
        persons.put(customer, f[11]);
      }

      // recommend() is personal once the server has built its live model (10 s after it starts)
      String built = server.awaitJobRun("recommend-model", Duration.ofSeconds(180));
      assertTrue(built.startsWith("ok"), "the model build: " + built);
      Map<String, List<String>> recs = Map.of();
      for (int i = 0; i < 30 && recs.getOrDefault("12345", List.of()).stream().noneMatch(r -> r.endsWith(",basket"));
           i++) {
        Thread.sleep(i == 0 ? 0 : 1000);
        recs = recommend(cli, cwd, Map.of("12345", persons.get("12345"), "12346", persons.get("12346")));
      }
      for (String customer : List.of("12345", "12346")) {
        List<String> mine = recs.getOrDefault(customer, List.of());
        Set<String> own = bought(customer);
        assertFalse(mine.isEmpty(), customer + ": " + recs);
        assertEquals(mostBoughtTogether(own), mine.get(0).split(",")[0], "customer " + customer + ": " + mine);
        assertEquals("basket", mine.get(0).split(",")[1], mine.toString());
        for (String r : mine) {
          assertFalse(own.contains(r.split(",")[0]), "already bought: " + r);
        }
      }
    }
  }

  /**
   * Each customer's top 3 through one {@code bin/lode sql -f}: a statement per customer, each row
   * led by the customer number; the lists come back as {@code item_id,source} by customer.
   */
  private static Map<String, List<String>> recommend(LodeCli cli, Path cwd, Map<String, String> personOf)
      throws Exception {
    StringBuilder script = new StringBuilder();
    personOf.forEach((customer, person) -> script.append("SELECT '").append(customer)
        .append("' AS customer, item_id, source FROM TABLE(recommend('").append(person)
        .append("', 3)) ORDER BY item_rank;\n"));
    Files.writeString(cwd.resolve("recommend.sql"), script);
    LodeCli.Result r = cli.launch(cwd, "sql", "--format", "csv", "-f", "recommend.sql");
    assertEquals(0, r.code(), r.out());
    Map<String, List<String>> out = new TreeMap<>();
    for (String line : r.out().lines().toList()) {
      if (!line.equals("customer,item_id,source")) {
        out.computeIfAbsent(line.substring(0, line.indexOf(',')), k -> new ArrayList<>())
            .add(line.substring(line.indexOf(',') + 1));
      }
    }
    return out;
  }

  /** The files read line by line: completed orders per customer, revenue, first/last order, tickets. */
  private static Map<String, Expected> reference() {
    Map<String, Set<String>> orders = new TreeMap<>();
    Map<String, BigDecimal> revenue = new HashMap<>();
    Map<String, LocalDateTime> first = new HashMap<>();
    Map<String, LocalDateTime> last = new HashMap<>();
    for (String line : ORDERS.lines().skip(1).toList()) {
      String[] f = line.split(",", -1);
      String customer = f[6].replace(".0", "");
      if (customer.isEmpty() || f[0].startsWith("C")) {
        continue;
      }
      LocalDateTime t = LocalDateTime.parse(f[4], ISO);
      orders.computeIfAbsent(customer, k -> new LinkedHashSet<>()).add(f[0]);
      revenue.merge(customer, new BigDecimal(f[3]).multiply(new BigDecimal(f[5])), BigDecimal::add);
      first.merge(customer, t, (a, b) -> a.isBefore(b) ? a : b);
      last.merge(customer, t, (a, b) -> a.isAfter(b) ? a : b);
    }
    Map<String, String> customerOfEmail = new HashMap<>();
    SiloFiles.CRM.lines().skip(1).forEach(l -> customerOfEmail.put(l.split(",")[1].strip().toLowerCase(Locale.ROOT),
        l.split(",")[0]));
    Map<String, Long> tickets = new HashMap<>();
    SiloFiles.TICKETS.lines().skip(1).forEach(l -> tickets.merge(
        customerOfEmail.getOrDefault(l.split(",")[1].strip().toLowerCase(Locale.ROOT), ""), 1L, Long::sum));
    Map<String, Expected> out = new TreeMap<>();
    for (String c : orders.keySet()) {
      out.put(c, new Expected(orders.get(c), revenue.get(c), first.get(c), last.get(c), tickets.getOrDefault(c, 0L)));
    }
    return out;
  }

  /**
   * Exact quintiles as docs/tags.md defines them: over the n customers with orders, a value greater
   * than b of the n values scores {@code 1 + floor(5 b / n)} (r: the last order, f: orders, m: revenue).
   */
  private static Map<String, int[]> rfm(Map<String, Expected> expected) {
    List<Expected> all = new ArrayList<>(expected.values());
    int n = all.size();
    Map<String, int[]> out = new TreeMap<>();
    expected.forEach((c, x) -> out.put(c, new int[] {
        1 + 5 * (int) all.stream().filter(y -> y.last().isBefore(x.last())).count() / n,
        1 + 5 * (int) all.stream().filter(y -> y.orders().size() < x.orders().size()).count() / n,
        1 + 5 * (int) all.stream().filter(y -> y.revenue().compareTo(x.revenue()) < 0).count() / n}));
    return out;
  }

  /** Every item the customer bought (a cancelled line is no purchase). */
  private static Set<String> bought(String customer) {
    Set<String> own = new LinkedHashSet<>();
    for (String line : ORDERS.lines().skip(1).toList()) {
      String[] f = line.split(",", -1);
      if (f[6].replace(".0", "").equals(customer) && !f[0].startsWith("C")) {
        own.add(f[1]);
      }
    }
    return own;
  }

  /** The item outside {@code own} sharing the most baskets with an item of {@code own} (ties: smallest id). */
  private static String mostBoughtTogether(Set<String> own) {
    Map<String, Set<String>> baskets = new HashMap<>();
    for (String line : ORDERS.lines().skip(1).toList()) {
      String[] f = line.split(",", -1);
      baskets.computeIfAbsent(f[0], k -> new LinkedHashSet<>()).add(f[1]);
    }
    Map<String, Integer> together = new TreeMap<>();
    for (Set<String> basket : baskets.values()) {
      if (basket.stream().anyMatch(own::contains)) {
        basket.stream().filter(i -> !own.contains(i)).forEach(i -> together.merge(i, 1, Integer::sum));
      }
    }
    return together.entrySet().stream().max(Map.Entry.<String, Integer>comparingByValue()
        .thenComparing(Map.Entry.comparingByKey(java.util.Comparator.reverseOrder()))).orElseThrow().getKey();
  }
}
