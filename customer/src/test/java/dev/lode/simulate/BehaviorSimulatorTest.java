package dev.lode.simulate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lode.config.LodeConfig;
import dev.lode.identity.IdentityResolver;
import dev.lode.testing.TestWarehouse;
import dev.lode.warehouse.Warehouse;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The simulator's output shows the behaviours it claims, read back with the queries an
 * analyst would write: funnels with abandoned carts, price-sensitive browsers, misclicks,
 * bots, complaints about bought items, campaign responses; and it is deterministic.
 */
class BehaviorSimulatorTest {
  private static final long SEED = 7;
  private static final String MINE = "properties['sim_seed'] = '7'";
  private static BehaviorSimulator.Result result;

  @BeforeAll
  static void simulate() throws Exception {
    // customers and items to simulate around: the bundled sample (a no-op if another test loaded it)
    java.nio.file.Path sample = TestWarehouse.freshDir("sim").resolve("online-retail-sample.csv.gz");
    try (var in = BehaviorSimulatorTest.class.getResourceAsStream("/lode/demo/online-retail-sample.csv.gz")) {
      java.nio.file.Files.copy(in, sample);
    }
    new dev.lode.load.BatchLoader(TestWarehouse.get()).load(sample, dev.lode.load.LoadKind.ORDERS,
        dev.lode.load.MappingSpec.resolve("online-retail"), dev.lode.load.BatchLoader.Options.defaults());
    result = new BehaviorSimulator(TestWarehouse.get()).simulate(new BehaviorSimulator.Spec(SEED, 80_000, null, null),
        x -> { });
  }

  private static double num(Statement st, String sql) throws Exception {
    try (ResultSet rs = st.executeQuery(sql)) {
      assertTrue(rs.next(), sql);
      return rs.getDouble(1);
    }
  }

  @Test
  void sizeIsNearTheRequestAndEveryRowIsLabelled() throws Exception {
    assertTrue(result.events() >= 80_000 && result.events() < 81_600, result.toText());
    try (Connection c = TestWarehouse.get().connect(); Statement st = c.createStatement()) {
      assertEquals(result.events(), (long) num(st, "SELECT count() FROM events FINAL WHERE " + MINE));
      assertEquals(0, (long) num(st, "SELECT count() FROM events WHERE " + MINE + " AND source != 'simulator'"));
    }
  }

  @Test
  void sameSeedGivesTheSameRows() throws Exception {
    Warehouse w = TestWarehouse.get();
    String checksum = "SELECT count(), sum(cityHash64(event_id, event_time, distinct_id, event_name, item_id, dwell_ms,"
        + " session_id)) FROM events FINAL WHERE " + MINE;
    try (Connection c = w.connect(); Statement st = c.createStatement()) {
      List<String> first = row(st, checksum);
      new BehaviorSimulator(w).simulate(new BehaviorSimulator.Spec(SEED, 80_000, null, null), x -> { });
      assertEquals(first, row(st, checksum), "a second run with the same seed writes the same events");
    }
  }

  private static List<String> row(Statement st, String sql) throws Exception {
    try (ResultSet rs = st.executeQuery(sql)) {
      rs.next();
      List<String> out = new ArrayList<>();
      for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
        out.add(rs.getString(i));
      }
      return out;
    }
  }

  @Test
  void funnelNarrowsAndCartsAreAbandoned() throws Exception {
    try (Connection c = TestWarehouse.get().connect(); Statement st = c.createStatement()) {
      String funnel = "SELECT countIf(level >= 1), countIf(level >= 2), countIf(level >= 3), countIf(level >= 4),"
          + " countIf(level IN (2, 3)) FROM (SELECT session_id, windowFunnel(86400)(toDateTime(event_time),"
          + " event_name = 'product_view', event_name = 'add_to_cart', event_name = 'checkout', event_name = 'purchase')"
          + " AS level FROM events WHERE " + MINE + " GROUP BY session_id)";
      List<String> f = row(st, funnel);
      long views = Long.parseLong(f.get(0));
      long carts = Long.parseLong(f.get(1));
      long checkouts = Long.parseLong(f.get(2));
      long purchases = Long.parseLong(f.get(3));
      long abandoned = Long.parseLong(f.get(4));
      assertTrue(views > carts && carts > checkouts && checkouts > purchases && purchases > 0, f.toString());
      double cartRate = (double) carts / views;
      assertTrue(cartRate > 0.2 && cartRate < 0.45, "cart rate " + cartRate);
      assertTrue(abandoned > 0.3 * carts, "abandoned carts " + abandoned + " of " + carts);
    }
  }

  @Test
  void priceSensitiveBrowsersLookAtCheaperItemsLongerAndConvertLess() throws Exception {
    try (Connection c = TestWarehouse.get().connect(); Statement st = c.createStatement()) {
      String byPersona = "SELECT avgIf(toFloat64(price), event_name = 'product_view'),"
          + " countIf(event_name = 'product_view') / uniqExact(session_id),"
          + " uniqExactIf(session_id, event_name = 'purchase') / uniqExactIf(session_id, event_name = 'product_view')"
          + " FROM events WHERE " + MINE + " AND properties['sim_persona'] = '%s'";
      List<String> ps = row(st, String.format(byPersona, "price_sensitive"));
      List<String> reg = row(st, String.format(byPersona, "regular"));
      assertTrue(Double.parseDouble(ps.get(0)) < Double.parseDouble(reg.get(0)), "avg viewed price " + ps + " vs " + reg);
      assertTrue(Double.parseDouble(ps.get(1)) > Double.parseDouble(reg.get(1)), "views per session " + ps + " vs " + reg);
      assertTrue(Double.parseDouble(ps.get(2)) < Double.parseDouble(reg.get(2)), "conversion " + ps + " vs " + reg);
    }
  }

  @Test
  void misclicksAndBotsAreFlaggedNotDeleted() throws Exception {
    try (Connection c = TestWarehouse.get().connect(); Statement st = c.createStatement()) {
      double misclickShare = num(st, "SELECT countIf(is_misclick) / countIf(event_name = 'product_view')"
          + " FROM events_quality WHERE " + MINE + " AND NOT is_bot");
      assertTrue(misclickShare > 0.03 && misclickShare < 0.12, "misclick share " + misclickShare);
      String botRate = "SELECT avg(q.is_bot) FROM session_quality q JOIN (SELECT DISTINCT session_id,"
          + " properties['sim_persona'] AS persona FROM events WHERE " + MINE + ") p ON p.session_id = q.session_id"
          + " WHERE p.persona %s 'bot'";
      assertTrue(num(st, String.format(botRate, "=")) > 0.95, "bots detected");
      assertTrue(num(st, String.format(botRate, "!=")) < 0.02, "humans not flagged");
      assertTrue(num(st, "SELECT value FROM data_quality WHERE check = 'bot_sessions' AND dimension = 'simulator'") > 0);
    }
  }

  @Test
  void ticketsComplainAboutBoughtItemsAndCampaignsConvertPriceSensitiveCustomers() throws Exception {
    try (Connection c = TestWarehouse.get().connect(); Statement st = c.createStatement()) {
      assertTrue(result.tickets() > 0 && result.campaignSends() > 0 && result.campaignResponses() > 0, result.toText());
      assertTrue(num(st, "SELECT count() FROM tickets WHERE source = 'simulator' AND ticket_type = 'complaint'") > 0);
      // every ticket's item was bought in its order (real order lines or simulated purchase events)
      assertEquals(0, (long) num(st, "SELECT count() FROM tickets t WHERE t.source = 'simulator' AND (t.order_id, t.item_id)"
          + " NOT IN (SELECT order_id, item_id FROM order_lines UNION ALL SELECT properties['order_id'], item_id"
          + " FROM events WHERE event_name = 'purchase' AND source = 'simulator')"));
      String conv = "SELECT countIf(r.response_type = 'convert') / uniqExact(s.send_id) FROM campaign_sends s"
          + " JOIN crm_contacts k ON k.email_sha256 = s.recipient LEFT JOIN campaign_responses r ON r.send_id = s.send_id"
          + " JOIN campaigns m ON m.campaign_id = s.campaign_id WHERE s.source = 'simulator' AND m.offer LIKE 'coupon%%'"
          + " AND k.traits['sim_persona'] = '%s'";
      assertTrue(num(st, String.format(conv, "price_sensitive")) > num(st, String.format(conv, "regular")));
    }
  }

  @Test
  void loggedInBrowsingResolvesToTheCustomer() throws Exception {
    Warehouse w = TestWarehouse.get();
    new IdentityResolver(w, LodeConfig.of(Map.of())).resolve();
    try (Connection c = w.connect(); Statement st = c.createStatement()) {
      // sessions with a login: the anonymous browser, the user and the customer number are one person
      double split = num(st, "SELECT countIf(a.person_id != k.person_id) FROM events e"
          + " JOIN identities_current a ON a.id_type = 'anonymous_id' AND a.id_value = e.anonymous_id"
          + " JOIN identities_current k ON k.id_type = 'customer_no' AND k.id_value = e.properties['customer_no']"
          + " WHERE " + MINE + " AND e.event_name = 'identify'");
      assertTrue(num(st, "SELECT count() FROM events WHERE " + MINE + " AND event_name = 'identify'") > 0);
      assertTrue(num(st, "SELECT countIf(person_id = '') FROM events_resolved WHERE " + MINE) == 0);
    }
  }
}
