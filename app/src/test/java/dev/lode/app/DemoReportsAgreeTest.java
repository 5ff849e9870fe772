package dev.lode.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lode.config.LodeConfig;
import dev.lode.report.ReportCatalog;
import dev.lode.report.ReportDefinition;
import dev.lode.report.ReportQuery;
import dev.lode.report.ReportResult;
import dev.lode.testing.TestWarehouse;
import dev.lode.warehouse.Warehouse;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The reports agree with the customer model on the demo dataset (the bundled Online Retail
 * sample, simulated behavior, identity resolution — what a first start loads): data_quality's
 * unresolved counts equal what events_resolved and the identity tables say natively, and
 * campaign_effect finds the demo's campaigns' recipients who browsed before the send.
 */
class DemoReportsAgreeTest {
  private static Warehouse w;
  private static ReportCatalog catalog;
  private static ReportQuery query;
  private static String first;
  private static String last;

  @BeforeAll
  static void demo() throws Exception {
    w = TestWarehouse.isolated("demo_reports");
    Path home = TestWarehouse.freshDir("demo-reports");
    // no Online Retail file at the configured place: the bundled sample, as on a machine without the dataset
    LodeConfig config = LodeConfig.of(Map.of("lode.data.dir", home.toString(),
        "lode.demo.online-retail", home.resolve("absent.csv.gz").toString()));
    DemoDataset.load(w, config, 60_000, line -> { });
    catalog = ReportCatalog.load(null);
    query = new ReportQuery(w::connect, 300);
    try (Connection c = w.connect(); Statement st = c.createStatement();
         ResultSet rs = st.executeQuery("SELECT toString(toDate(min(event_time))), toString(toDate(max(event_time)))"
             + " FROM events")) {
      rs.next();
      first = rs.getString(1);
      last = rs.getString(2);
    }
  }

  private static ReportResult run(String report, Map<String, String> params) throws Exception {
    ReportDefinition d = catalog.get(report);
    return query.run(d, ReportQuery.bind(d, params, Clock.systemUTC()));
  }

  private static List<Long> nativeCounts(String sql) throws Exception {
    try (Connection c = w.connect(); Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
      rs.next();
      return List.of(rs.getLong(1), rs.getLong(2));
    }
  }

  @Test
  void dataQualityAgreesWithResolution() throws Exception {
    ReportResult r = run("data_quality", Map.of("start_date", first, "end_date", last));
    Map<String, List<Long>> checks = new HashMap<>();
    for (Object[] row : r.rows()) {
      checks.put((String) row[0], List.of(((Number) row[r.indexOf("numerator")]).longValue(),
          ((Number) row[r.indexOf("denominator")]).longValue()));
    }
    String period = " BETWEEN toDateTime64('" + first + " 00:00:00', 3, 'UTC') AND toDateTime64('"
        + LocalDate.parse(last).plusDays(1) + " 00:00:00', 3, 'UTC') - toIntervalMillisecond(1)";
    List<Long> events = nativeCounts("SELECT countIf(person_id = ''), count() FROM events_resolved WHERE event_time"
        + period);
    assertTrue(events.get(1) > 50_000, "the demo's events: " + events);
    assertEquals(events, checks.get("events_unresolved"), "events_unresolved against events_resolved");
    assertEquals(0L, events.get(0), "every demo event resolves");
    // the engine's own data_quality view reads events_resolved too
    long viewUnresolved = 0;
    try (Connection c = w.connect(); Statement st = c.createStatement(); ResultSet rs = st.executeQuery(
        "SELECT toString(value) FROM data_quality WHERE check = 'unresolved_events'")) {
      while (rs.next()) {
        viewUnresolved += Long.parseLong(rs.getString(1));
      }
    }
    assertEquals(events.get(0), viewUnresolved, "the data_quality view");
    // orders no person could be resolved for: exactly the guest checkouts (no customer number)
    List<Long> orders = nativeCounts("SELECT countIf(customer_key = '' OR customer_key NOT IN (SELECT id_value FROM"
        + " identities_current WHERE id_type = 'customer_no')), count() FROM orders FINAL WHERE order_time" + period);
    assertTrue(orders.get(0) < orders.get(1), orders.toString());
    assertEquals(orders, checks.get("orders_unresolved"));
    List<Long> tickets = nativeCounts("SELECT countIf((requester_type, requester) NOT IN (SELECT id_type, id_value"
        + " FROM identities_current)), count() FROM tickets FINAL WHERE opened_at" + period);
    assertTrue(tickets.get(1) > 0, "the demo has tickets");
    assertEquals(tickets, checks.get("tickets_unresolved"));
    List<Long> sends = nativeCounts("SELECT countIf((recipient_type, recipient) NOT IN (SELECT id_type, id_value"
        + " FROM identities_current)), count() FROM campaign_sends FINAL WHERE sent_at" + period);
    assertTrue(sends.get(1) > 0, "the demo has campaign sends");
    assertEquals(sends, checks.get("campaign_sends_unresolved"));
  }

  @Test
  void campaignEffectFindsTheDemoCampaignsRecipients() throws Exception {
    ReportResult r = run("campaign_effect", Map.of("start_date", "2000-01-01"));
    assertFalse(r.rows().isEmpty(), "campaign_effect on the demo");
    // recipients who browsed in the 30 days before their first send, per campaign, from events_resolved
    Map<String, Long> expected = new HashMap<>();
    try (Connection c = w.connect(); Statement st = c.createStatement(); ResultSet rs = st.executeQuery(
        "SELECT s.campaign_id, uniqExact(s.person_id) FROM (SELECT campaign_id, person_id, min(sent_at) AS sent_at"
            + " FROM campaign_sends FINAL WHERE person_id != '' GROUP BY campaign_id, person_id) AS s"
            + " INNER JOIN (SELECT person_id, event_time FROM events_resolved WHERE person_id != '') AS e"
            + " ON e.person_id = s.person_id WHERE e.event_time < s.sent_at AND e.event_time >= s.sent_at - toIntervalDay(30)"
            + " GROUP BY s.campaign_id")) {
      while (rs.next()) {
        expected.put(rs.getString(1), rs.getLong(2));
      }
    }
    Map<String, Long> actual = new HashMap<>();
    for (Object[] row : r.rows()) {
      actual.put((String) row[0], ((Number) row[r.indexOf("responders")]).longValue()
          + ((Number) row[r.indexOf("non_responders")]).longValue());
    }
    assertEquals(expected, actual);
    assertTrue(actual.values().stream().allMatch(n -> n > 0), actual.toString());
  }
}
