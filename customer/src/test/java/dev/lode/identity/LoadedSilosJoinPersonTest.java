package dev.lode.identity;

import static dev.lode.identity.ResolvedIdentities.one;
import static dev.lode.identity.ResolvedIdentities.personOf;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lode.clock.AsOf;
import dev.lode.config.LodeConfig;
import dev.lode.hash.Sha256;
import dev.lode.load.BatchLoader;
import dev.lode.load.LoadKind;
import dev.lode.load.MappingSpec;
import dev.lode.profiles.ProfileRefresher;
import dev.lode.profiles.ProfileSettings;
import dev.lode.recommend.ModelBuilder;
import dev.lode.recommend.PersonalizationStatus;
import dev.lode.recommend.RecContext;
import dev.lode.recommend.Recommendation;
import dev.lode.recommend.RecommendSettings;
import dev.lode.recommend.Recommender;
import dev.lode.testing.SiloFiles;
import dev.lode.testing.TestWarehouse;
import dev.lode.warehouse.Warehouse;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Silo files loaded as a new user would — an order history keyed by a customer number only,
 * a help-desk export keyed by an email only, a CRM file linking the two, each with a mapping of
 * the user's own — join the resolved person: profiles count each customer's orders, revenue and
 * first/last order, and tickets, exactly as a computation over the same file written here in
 * plain Java does, and recommend() follows each customer's own purchases. The CRM file comes
 * last, so tickets first resolve to an email-only person and must move when the merge happens.
 */
class LoadedSilosJoinPersonTest {
  private static final DateTimeFormatter ISO = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");

  // Online Retail's layout: the same columns, invented rows (decimal prices, a cancellation,
  // guest checkouts without a CustomerID)
  private static final String ORDERS = """
      InvoiceNo,StockCode,Description,Quantity,InvoiceDate,UnitPrice,CustomerID,Country
      536001,X1,WHITE TEAPOT,2,2011-03-01 09:15:00,4.95,12345.0,United Kingdom
      536002,X1,WHITE TEAPOT,1,2011-03-20 11:00:00,4.95,12345.0,United Kingdom
      536002,Z9,PAPER NAPKINS,12,2011-03-20 11:00:00,0.85,12345.0,United Kingdom
      C536003,X1,WHITE TEAPOT,-1,2011-03-21 08:00:00,4.95,12345.0,United Kingdom
      536004,P1,RED LANTERN,4,2011-04-02 16:30:00,3.39,12346.0,France
      536005,P1,RED LANTERN,1,2011-05-09 10:05:00,3.39,12346.0,France
      536005,P1,RED LANTERN,1,2011-05-09 10:05:00,3.39,12346.0,France
      536010,X1,WHITE TEAPOT,1,2011-02-01 10:00:00,4.95,20001.0,United Kingdom
      536010,Y1,TEA CUPS SET,2,2011-02-01 10:00:00,7.65,20001.0,United Kingdom
      536011,X1,WHITE TEAPOT,1,2011-02-02 10:00:00,4.95,20002.0,United Kingdom
      536011,Y1,TEA CUPS SET,1,2011-02-02 10:00:00,7.65,20002.0,United Kingdom
      536012,X1,WHITE TEAPOT,1,2011-02-03 10:00:00,4.95,20003.0,United Kingdom
      536012,Y1,TEA CUPS SET,1,2011-02-03 10:00:00,7.65,20003.0,United Kingdom
      536013,X1,WHITE TEAPOT,1,2011-02-04 10:00:00,4.95,,United Kingdom
      536013,Y1,TEA CUPS SET,1,2011-02-04 10:00:00,7.65,,United Kingdom
      536014,P1,RED LANTERN,2,2011-02-05 10:00:00,3.39,20004.0,France
      536014,Q1,CANDLE HOLDER,1,2011-02-05 10:00:00,2.10,20004.0,France
      536015,P1,RED LANTERN,1,2011-02-06 10:00:00,3.39,20005.0,France
      536015,Q1,CANDLE HOLDER,3,2011-02-06 10:00:00,2.10,20005.0,France
      536016,P1,RED LANTERN,1,2011-02-07 10:00:00,3.39,20006.0,France
      536016,Q1,CANDLE HOLDER,1,2011-02-07 10:00:00,2.10,20006.0,France
      536017,P1,RED LANTERN,1,2011-02-08 10:00:00,3.39,,France
      536017,Q1,CANDLE HOLDER,1,2011-02-08 10:00:00,2.10,,France
      536018,Z9,PAPER NAPKINS,24,2011-02-09 10:00:00,0.85,20007.0,United Kingdom
      536019,R7,BLUE VASE,1,2011-02-10 10:00:00,9.99,,United Kingdom
      """;

  // a clickstream export: the shop's login id, the customer number as a trait (when the visitor is a
  // customer), viewed and bought items: Ann buys napkins on the web again, two web-only shoppers too
  private static final String EVENTS = """
      {"user": "web-ann", "customer_no": "12345", "event": "product_view", "sku": "R7", "at": "2011-12-20 18:00:00"}
      {"user": "web-ann", "customer_no": "12345", "event": "product_view", "sku": "R7", "at": "2011-12-21 18:05:00"}
      {"user": "web-ann", "customer_no": "12345", "event": "purchase", "sku": "Z9", "at": "2011-12-22 09:00:00"}
      {"user": "web-ann", "customer_no": "12345", "event": "purchase", "sku": "Z9", "at": "2011-12-23 09:00:00"}
      {"user": "web-bob", "event": "purchase", "sku": "Z9", "at": "2011-12-23 10:00:00"}
      {"user": "web-cid", "event": "purchase", "sku": "Z9", "at": "2011-12-24 10:00:00"}
      {"user": "web-cid", "event": "purchase", "sku": "Y1", "at": "2011-10-24 10:00:00"}
      """;

  private static final String EVENTS_MAPPING = """
      {"kind": "events", "format": "jsonl", "source": "web_export",
       "fields": {"user_id": "user", "event_name": "event", "item_id": "sku",
                  "event_time": {"from": "at", "format": "iso"}, "properties": {"columns": ["customer_no"]}}}
      """;

  private static Warehouse w;
  private static IdentityResolver resolver;
  private static Map<String, Expected> expected;
  private static Map<String, Set<String>> boughtBy;
  private static Map<String, Set<String>> baskets;

  /** What the order file says about one customer, computed here without Lode. */
  record Expected(Set<String> orders, BigDecimal revenue, LocalDateTime first, LocalDateTime last) {
  }

  @BeforeAll
  static void load() throws Exception {
    w = TestWarehouse.isolated("silojoin");
    resolver = new IdentityResolver(w, LodeConfig.of(Map.of()));
    Path dir = TestWarehouse.freshDir("silojoin");
    BatchLoader loader = new BatchLoader(w);
    // as bin/lode load does: load the file with the user's mapping file, then resolve
    loader.load(write(dir, "orders.csv", ORDERS), LoadKind.ORDERS,
        MappingSpec.resolve(write(dir, "orders-mapping.json", SiloFiles.ORDERS_MAPPING).toString()), BatchLoader.Options.defaults());
    resolver.resolve();
    loader.load(write(dir, "tickets.csv", SiloFiles.TICKETS), LoadKind.TICKETS,
        MappingSpec.resolve(write(dir, "tickets-mapping.json", SiloFiles.TICKETS_MAPPING).toString()), BatchLoader.Options.defaults());
    resolver.resolve();
    loader.load(write(dir, "crm.csv", SiloFiles.CRM), LoadKind.PERSONS,
        MappingSpec.resolve(write(dir, "crm-mapping.json", SiloFiles.CRM_MAPPING).toString()), BatchLoader.Options.defaults());
    resolver.resolve();
    loader.load(write(dir, "clicks.jsonl", EVENTS), LoadKind.EVENTS,
        MappingSpec.resolve(write(dir, "clicks-mapping.json", EVENTS_MAPPING).toString()), BatchLoader.Options.defaults());
    resolver.resolve();
    reference();
  }

  private static Path write(Path dir, String name, String text) throws Exception {
    return Files.writeString(dir.resolve(name), text);
  }

  /** The order file read line by line: completed orders per customer, their revenue and times; baskets. */
  private static void reference() {
    expected = new TreeMap<>();
    boughtBy = new HashMap<>();
    baskets = new HashMap<>();
    Map<String, Set<String>> orders = new HashMap<>();
    Map<String, BigDecimal> revenue = new HashMap<>();
    Map<String, LocalDateTime> first = new HashMap<>();
    Map<String, LocalDateTime> last = new HashMap<>();
    for (String line : ORDERS.lines().skip(1).toList()) {
      String[] f = line.split(",", -1);
      String invoice = f[0];
      String customer = f[6].isEmpty() ? "" : f[6].replace(".0", "");
      LocalDateTime t = LocalDateTime.parse(f[4], ISO);
      baskets.computeIfAbsent(invoice, k -> new LinkedHashSet<>()).add(f[1]);
      if (customer.isEmpty() || invoice.startsWith("C")) {
        continue;
      }
      orders.computeIfAbsent(customer, k -> new LinkedHashSet<>()).add(invoice);
      revenue.merge(customer, new BigDecimal(f[3]).multiply(new BigDecimal(f[5])), BigDecimal::add);
      first.merge(customer, t, (a, b) -> a.isBefore(b) ? a : b);
      last.merge(customer, t, (a, b) -> a.isAfter(b) ? a : b);
      boughtBy.computeIfAbsent(customer, k -> new LinkedHashSet<>()).add(f[1]);
    }
    for (String c : orders.keySet()) {
      expected.put(c, new Expected(orders.get(c), revenue.get(c), first.get(c), last.get(c)));
    }
  }


  @Test
  void everyLoadedRowCarriesItsResolvedPerson() throws Exception {
    try (Connection c = w.connect(); Statement st = c.createStatement()) {
      // native: each line's stamped person is the one its customer number resolves to; guests have none
      assertEquals("0", one(st, "SELECT count() FROM order_lines AS l FINAL LEFT ANY JOIN (SELECT id_value, person_id"
          + " FROM identities_current WHERE id_type = 'customer_no') AS i ON i.id_value = l.customer_key"
          + " WHERE l.person_id != if(l.customer_key = '', '', i.person_id)"));
      long guestLines = ORDERS.lines().skip(1).filter(l -> l.split(",", -1)[6].isEmpty()).count();
      assertEquals(Long.toString(guestLines), one(st, "SELECT countIf(person_id = '') FROM order_lines FINAL"));
      assertEquals("0", one(st, "SELECT countIf(person_id = '' AND customer_key != '') FROM orders FINAL"));
      String ann = personOf(st, "customer_no", "12345");
      assertNotEquals("", ann);
      assertEquals(ann, personOf(st, "email_sha256", Sha256.hex("ann.buyer@example.com")), "the CRM file links them");
      // the tickets resolved to an email-only person first and moved with the merge
      assertEquals(ann, one(st, "SELECT any(person_id) FROM tickets FINAL WHERE ticket_id = 'T-1'"));
      assertEquals(ann, one(st, "SELECT any(person_id) FROM tickets FINAL WHERE ticket_id = 'T-2'"));
      assertEquals(personOf(st, "customer_no", "12346"),
          one(st, "SELECT any(person_id) FROM tickets FINAL WHERE ticket_id = 'T-3'"));
      String stranger = one(st, "SELECT any(person_id) FROM tickets FINAL WHERE ticket_id = 'T-4'");
      assertNotEquals("", stranger, "a requester who is no customer is still a person");
      assertFalse(stranger.equals(ann));
      // stamped in place: no row twice
      assertEquals(one(st, "SELECT count() FROM order_lines FINAL"), one(st, "SELECT count() FROM order_lines"));
      assertEquals(one(st, "SELECT count() FROM tickets FINAL"), one(st, "SELECT count() FROM tickets"));
      // a second run finds nothing left to stamp
      IdentityResolver.RunSummary again = resolver.resolve();
      assertEquals(0L, again.restamped().values().stream().mapToLong(Long::longValue).sum(), again.toText());
    }
  }

  @Test
  void profilesEqualTheOrderFile() throws Exception {
    Instant asOf = Instant.parse("2011-12-31T00:00:00Z");
    new ProfileRefresher(w, ProfileSettings.from(LodeConfig.of(Map.of()))).refreshAll(asOf);
    try (Connection c = w.connect(); Statement st = c.createStatement()) {
      for (Map.Entry<String, Expected> e : expected.entrySet()) {
        String person = personOf(st, "customer_no", e.getKey());
        try (ResultSet rs = st.executeQuery("SELECT orders, toString(revenue), first_order_at, last_order_at, tickets"
            + " FROM profiles WHERE person_id = '" + person + "'")) {
          assertTrue(rs.next(), "a profile for customer " + e.getKey());
          Expected x = e.getValue();
          assertEquals(x.orders().size(), rs.getLong(1), "orders of " + e.getKey());
          assertEquals(x.revenue().setScale(2, RoundingMode.HALF_UP),
              new BigDecimal(rs.getString(2)).setScale(2, RoundingMode.HALF_UP), "revenue of " + e.getKey());
          assertEquals(x.first(), rs.getTimestamp(3).toInstant().atOffset(ZoneOffset.UTC).toLocalDateTime(),
              "first order of " + e.getKey());
          assertEquals(x.last(), rs.getTimestamp(4).toInstant().atOffset(ZoneOffset.UTC).toLocalDateTime(),
              "last order of " + e.getKey());
          long tickets = SiloFiles.TICKETS.lines().skip(1).filter(t -> customerOfEmail(t.split(",")[1]).equals(e.getKey()))
              .count();
          assertEquals(tickets, rs.getLong(5), "tickets of " + e.getKey());
        }
      }
      // and the web-only shoppers, whose orders are their purchase events (no order system knows them)
      long webOnly = EVENTS.lines().filter(l -> l.contains("\"purchase\"") && !l.contains("customer_no"))
          .map(l -> l.substring(0, l.indexOf(','))).distinct().count();
      assertEquals(Long.toString(expected.size() + webOnly), one(st, "SELECT count() FROM profiles WHERE orders > 0"));
    }
  }

  private static String customerOfEmail(String email) {
    String e = email.strip().toLowerCase(Locale.ROOT);
    for (String line : SiloFiles.CRM.lines().skip(1).toList()) {
      String[] f = line.split(",");
      if (f[1].strip().toLowerCase(Locale.ROOT).equals(e)) {
        return f[0];
      }
    }
    return "";
  }

  @Test
  void recommendationsFollowEachCustomersOwnPurchases() throws Exception {
    // the trained ease source ties with basket on a shop this small (EaseModelTest covers it); the
    // question here is whose purchases the co-occurrence source sees
    RecommendSettings settings = RecommendSettings.from(LodeConfig.of(Map.of("lode.recommend.consent-required",
        "false", "lode.recommend.weight.ease", "0"))).withAsOf(AsOf.parse("2011-12-31T00:00:00Z"));
    new ModelBuilder(w, settings).build(Recommender.LIVE, Instant.parse("2011-12-31T00:00:00Z"), true);
    Recommender recommender = new Recommender(w, settings);
    try (Connection c = w.connect(); Statement st = c.createStatement()) {
      Map<String, String> tops = new HashMap<>();
      for (String customer : List.of("12345", "12346")) {
        List<Recommendation> recs = recommender.recommend(personOf(st, "customer_no", customer), 3, RecContext.NONE);
        assertFalse(recs.isEmpty(), customer);
        String expectedTop = mostBoughtTogether(boughtBy.get(customer));
        assertEquals(expectedTop, recs.get(0).itemId(), "customer " + customer + ": " + recs);
        assertEquals("basket", recs.get(0).source(), recs.toString());
        for (Recommendation r : recs) {
          assertFalse(boughtBy.get(customer).contains(r.itemId()), "already bought: " + r);
        }
        tops.put(customer, recs.get(0).itemId());
      }
      assertNotEquals(tops.get("12345"), tops.get("12346"), "two customers with different baskets: " + tops);
      // events carry no person: recommend() finds Ann's views through her login id and its customer number
      assertEquals("0", one(st, "SELECT countIf(person_id != '') FROM events WHERE source = 'web_export'"));
      List<String> ann = recommender.recommend(personOf(st, "customer_no", "12345"), 10, RecContext.NONE).stream()
          .filter(r -> r.source().equals("recent")).map(Recommendation::itemId).toList();
      assertEquals(List.of("R7"), ann, "the item Ann viewed, as recently viewed");
      assertTrue(recommender.recommend(personOf(st, "customer_no", "12346"), 10, RecContext.NONE).stream()
          .noneMatch(r -> r.source().equals("recent")), "Pierre viewed nothing");
    }
  }

  @Test
  void personalizationWithoutAnyConsentIsReportedOffForEveryone() throws Exception {
    RecommendSettings required = RecommendSettings.from(LodeConfig.of(Map.of("lode.recommend.weight.ease", "0")))
        .withAsOf(AsOf.parse("2011-12-31T00:00:00Z"));
    PersonalizationStatus none = PersonalizationStatus.read(w, required);
    assertTrue(none.offForEveryone(), none.toText());
    assertTrue(none.toText().contains("OFF for everyone"), none.toText());
    try (Connection c = w.connect(); Statement st = c.createStatement()) {
      // a consent recorded under the customer number only: resolution stamps Ann's person on it
      st.execute("INSERT INTO consents (id_type, id_value, person_id, purpose, granted, recorded_at, source)"
          + " VALUES ('customer_no', '12345', '', 'personalization', 1, now64(3), 'crm_export')");
      resolver.resolve();
      String ann = personOf(st, "customer_no", "12345");
      assertEquals(ann, one(st, "SELECT any(person_id) FROM consents FINAL WHERE id_value = '12345'"));
      PersonalizationStatus one = PersonalizationStatus.read(w, required);
      assertEquals(1, one.grantedPersons(), one.toText());
      assertFalse(one.offForEveryone());
      new ModelBuilder(w, required).build(Recommender.LIVE, Instant.parse("2011-12-31T00:00:00Z"), true);
      Recommender recommender = new Recommender(w, required);
      assertEquals("basket", recommender.recommend(ann, 3, RecContext.NONE).get(0).source(), "Ann consented");
      assertTrue(recommender.recommend(personOf(st, "customer_no", "12346"), 3, RecContext.NONE).stream()
          .noneMatch(r -> r.source().equals("basket") || r.source().equals("ease")), "Pierre did not: context-only");
    }
  }

  @Test
  void popularityAndTrendingCountEachResolvedBuyerOnce() throws Exception {
    Instant cutoff = Instant.parse("2011-12-31T00:00:00Z");
    RecommendSettings settings = RecommendSettings.from(LodeConfig.of(Map.of()));
    ModelBuilder.Build b = new ModelBuilder(w, settings).build("popcheck", cutoff, true);
    // the reference: a buyer is a customer number (a web login carrying one is that customer), a web
    // login without one, or a guest's invoice; completed lines with a positive quantity, before the cutoff
    Map<String, Set<String>> buyers = new TreeMap<>();
    Map<String, Set<String>> recent = new TreeMap<>();
    Map<String, Set<String>> prior = new TreeMap<>();
    for (String line : ORDERS.lines().skip(1).toList()) {
      String[] f = line.split(",", -1);
      if (f[0].startsWith("C") || Integer.parseInt(f[3]) <= 0) {
        continue;
      }
      String buyer = f[6].isEmpty() ? "invoice " + f[0] : "customer " + f[6].replace(".0", "");
      buyers.computeIfAbsent(f[1], k -> new TreeSet<>()).add(buyer);
      window(LocalDateTime.parse(f[4], ISO), cutoff, f[1], buyer, recent, prior);
    }
    java.util.regex.Pattern field = java.util.regex.Pattern.compile("\"(\\w+)\": \"([^\"]*)\"");
    for (String line : EVENTS.lines().toList()) {
      Map<String, String> e = new HashMap<>();
      java.util.regex.Matcher m = field.matcher(line);
      while (m.find()) {
        e.put(m.group(1), m.group(2));
      }
      if (!e.get("event").equals("purchase")) {
        continue;
      }
      String buyer = e.containsKey("customer_no") ? "customer " + e.get("customer_no") : "login " + e.get("user");
      buyers.computeIfAbsent(e.get("sku"), k -> new TreeSet<>()).add(buyer);
      window(LocalDateTime.parse(e.get("at"), ISO), cutoff, e.get("sku"), buyer, recent, prior);
    }
    Map<String, Long> expectedBuyers = new TreeMap<>();
    buyers.forEach((item, who) -> expectedBuyers.put(item, (long) who.size()));
    Map<String, String> expectedTrending = new TreeMap<>();
    recent.forEach((item, who) -> {
      long r = who.size();
      long p = prior.getOrDefault(item, Set.of()).size();
      double score = r * Math.log((r + 1.0) / (p * 14.0 / 56.0 + 1));
      if (r >= 3 && score > 0) {
        expectedTrending.put(item, r + " " + p + " " + String.format(Locale.ROOT, "%.5f", score));
      }
    });
    assertEquals(4L, expectedBuyers.get("Z9"), "the reference: Ann (shop and web), 20007, bob, cid");
    try (Connection c = w.connect(); Statement st = c.createStatement()) {
      Map<String, Long> got = new TreeMap<>();
      try (ResultSet rs = st.executeQuery("SELECT item_id, buyers FROM rec_item_popularity WHERE model = 'popcheck'"
          + " AND generation = " + b.generation() + " AND segment = '*' AND season = '*' AND region = '*'")) {
        while (rs.next()) {
          got.put(rs.getString(1), rs.getLong(2));
        }
      }
      assertEquals(expectedBuyers, got, "buyers per item");
      Map<String, String> trending = new TreeMap<>();
      try (ResultSet rs = st.executeQuery("SELECT item_id, recent, prior, score FROM rec_item_trending"
          + " WHERE model = 'popcheck' AND generation = " + b.generation())) {
        while (rs.next()) {
          trending.put(rs.getString(1), rs.getLong(2) + " " + rs.getLong(3) + " "
              + String.format(Locale.ROOT, "%.5f", rs.getDouble(4))); // stored as Float32
        }
      }
      assertEquals(expectedTrending, trending, "trending items");
      assertFalse(trending.isEmpty(), "the web buyers of napkins make them trend: the test proves nothing");
    } finally {
      new ModelBuilder(w, settings).drop("popcheck");
    }
  }

  /** Files a buyer of {@code item} at {@code t} under the trending windows before {@code cutoff}: 14 days, 56 before. */
  private static void window(LocalDateTime t, Instant cutoff, String item, String buyer,
                             Map<String, Set<String>> recent, Map<String, Set<String>> prior) {
    LocalDateTime end = LocalDateTime.ofInstant(cutoff, ZoneOffset.UTC);
    if (!t.isBefore(end.minusDays(14)) && t.isBefore(end)) {
      recent.computeIfAbsent(item, k -> new TreeSet<>()).add(buyer);
    } else if (!t.isBefore(end.minusDays(70)) && t.isBefore(end)) {
      prior.computeIfAbsent(item, k -> new TreeSet<>()).add(buyer);
    }
  }

  /** The item outside {@code own} sharing the most baskets with an item of {@code own} (ties: smallest id). */
  private static String mostBoughtTogether(Set<String> own) {
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
