package dev.lode.identity;

import static dev.lode.identity.ResolvedIdentities.one;
import static dev.lode.identity.ResolvedIdentities.personOf;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lode.config.LodeConfig;
import dev.lode.load.BatchLoader;
import dev.lode.load.LoadKind;
import dev.lode.load.MappingSpec;
import dev.lode.testing.TestWarehouse;
import dev.lode.warehouse.Warehouse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * One person across the silos, in SQL: links from identify events, logins, CRM records,
 * tickets and explicit link files resolve to one person; unusable ids never merge people;
 * a 10,000-id chain is one person; links between two identified persons are logged as
 * conflicts, not applied. Each test uses ids of its own, so they share the warehouse.
 */
class IdentityResolverTest {
  private final Warehouse w = TestWarehouse.get();
  private final String run = UUID.randomUUID().toString().substring(0, 8);
  private final IdentityResolver resolver = new IdentityResolver(w, LodeConfig.of(java.util.Map.of()));

  private String id(String s) {
    return s + "-" + run;
  }

  private void event(Statement st, String anon, String user, String type, String name, String props, String time)
      throws Exception {
    String distinct = user.isEmpty() ? anon : user;
    st.execute("INSERT INTO events (event_id, event_time, received_time, distinct_id, anonymous_id, user_id,"
        + " event_type, event_name, properties, source) VALUES ('" + UUID.randomUUID() + "', '" + time + "', now64(3), '"
        + distinct + "', '" + anon + "', '" + user + "', '" + type + "', '" + name + "', " + props + ", 'test')");
  }

  private Path file(String name, String text) throws Exception {
    Path dir = TestWarehouse.freshDir("files");
    Path f = dir.resolve(name);
    Files.writeString(f, text);
    return f;
  }

  @Test
  void anonymousBrowserWhoLogsInBuysAndComplainsIsOnePerson() throws Exception {
    String anon = id("anon");
    String user = id("user");
    String customer = id("C");
    String order = id("O");
    String email = "ann." + run + "@example.com";
    BatchLoader loader = new BatchLoader(w);
    try (Connection c = w.connect(); Statement st = c.createStatement()) {
      event(st, anon, "", "page", "page_view", "map()", "2026-01-01 10:00:00");
      event(st, anon, "", "track", "product_view", "map()", "2026-01-01 10:01:00");
      event(st, anon, user, "identify", "identify", "map('email', '" + email.toUpperCase() + "')", "2026-01-01 10:02:00");
      event(st, anon, user, "track", "purchase", "map('order_id', '" + order + "')", "2026-01-01 10:05:00");
      resolver.resolve();
      String person = personOf(st, "user_id", user);
      assertEquals(person, personOf(st, "anonymous_id", anon), "login links the anonymous browsing");

      loader.load(file("orders.csv", "order_id,customer_key,order_time,item_id,quantity,unit_price\n"
          + order + "," + customer + ",2026-01-01 10:05:00,I1,1,9.99\n"), LoadKind.ORDERS,
          MappingSpec.defaultFor(LoadKind.ORDERS), BatchLoader.Options.defaults());
      loader.load(file("crm.csv", "customer_no,email,country\n" + customer + "," + email + ",UK\n"), LoadKind.PERSONS,
          MappingSpec.defaultFor(LoadKind.PERSONS), BatchLoader.Options.defaults());
      loader.load(file("tickets.csv", "ticket_id,requester,order_id,opened_at,ticket_type,subject\n"
          + id("T") + ", " + email + " ," + order + ",2026-01-03 09:00:00,complaint,broken\n"), LoadKind.TICKETS,
          MappingSpec.defaultFor(LoadKind.TICKETS), BatchLoader.Options.defaults());
      resolver.resolve();

      assertEquals(person, personOf(st, "customer_no", customer), "the CRM record joins the sales customer");
      String ticketPerson = one(st, "SELECT any(i.person_id) FROM tickets t JOIN identities_current i"
          + " ON i.id_type = t.requester_type AND i.id_value = t.requester WHERE t.ticket_id = '" + id("T") + "'");
      assertEquals(person, ticketPerson, "the ticket's requester is the same person");
      assertEquals("1", one(st, "SELECT uniqExact(person_id) FROM events_resolved WHERE distinct_id IN ('" + anon
          + "', '" + user + "')"));
      assertEquals(person, one(st, "SELECT any(person_id) FROM events_resolved WHERE distinct_id = '" + anon + "'"));
      assertEquals("1", one(st, "SELECT count() FROM persons_current WHERE person_id = '" + person + "'"));
      assertEquals("4", one(st, "SELECT count() FROM identities_current WHERE person_id = '" + person + "'"));
    }
  }

  @Test
  void garbageIdsNeverMergePeople() throws Exception {
    String u1 = id("g-user1");
    String u2 = id("g-user2");
    try (Connection c = w.connect(); Statement st = c.createStatement()) {
      event(st, "undefined", u1, "identify", "identify", "map('email', 'null')", "2026-01-01 10:00:00");
      event(st, "undefined", u2, "identify", "identify", "map('email', 'null')", "2026-01-01 10:00:01");
      event(st, "0", u1, "track", "page_view", "map()", "2026-01-01 10:00:02");
      event(st, "0", u2, "track", "page_view", "map()", "2026-01-01 10:00:03");
      IdentityResolver.RunSummary s = resolver.resolve();
      assertTrue(s.unusableIds() >= 4, s.toText());
      String p1 = personOf(st, "user_id", u1);
      String p2 = personOf(st, "user_id", u2);
      assertNotEquals("", p1);
      assertNotEquals(p1, p2, "a shared garbage anonymous id must not merge two users");
      assertEquals("0", one(st, "SELECT count() FROM identities_current WHERE id_value IN ('undefined', '0')"));
    }
  }

  @Test
  void chainOfTenThousandIdsIsOnePersonAndANewLinkDoesNotRecomputeTheWorld() throws Exception {
    StringBuilder csv = new StringBuilder("id_type,id_value,other_type,other_value\n");
    for (int i = 0; i < 9_999; i++) {
      csv.append("device_id,").append(id("d" + i)).append(",device_id,").append(id("d" + (i + 1))).append('\n');
    }
    new BatchLoader(w).load(file("chain.csv", csv.toString()), LoadKind.IDENTITIES,
        MappingSpec.defaultFor(LoadKind.IDENTITIES), BatchLoader.Options.defaults());
    resolver.resolve();
    try (Connection c = w.connect(); Statement st = c.createStatement()) {
      String person = personOf(st, "device_id", id("d0"));
      assertEquals(person, personOf(st, "device_id", id("d9999")));
      assertEquals("10000", one(st, "SELECT count() FROM identities_current WHERE person_id = '" + person + "'"));
      assertEquals("1", one(st, "SELECT uniqExact(person_id) FROM identities_current WHERE id_type = 'device_id'"
          + " AND id_value LIKE '%-" + run + "'"));

      new BatchLoader(w).load(file("more.csv", "id_type,id_value,other_type,other_value\ndevice_id," + id("d9999")
          + ",user_id," + id("chain-user") + "\n"), LoadKind.IDENTITIES, MappingSpec.defaultFor(LoadKind.IDENTITIES),
          BatchLoader.Options.defaults());
      IdentityResolver.RunSummary s = resolver.resolve();
      assertEquals(1, s.newIds(), "only the new id is written: " + s.toText());
      assertEquals(0, s.movedIds(), s.toText());
      assertEquals(person, personOf(st, "user_id", id("chain-user")));
    }
  }

  @Test
  void linksBetweenIdentifiedPersonsAreLoggedNotMerged() throws Exception {
    String ua = id("k-userA");
    String ub = id("k-userB");
    String anonA = id("k-anonA");
    try (Connection c = w.connect(); Statement st = c.createStatement()) {
      event(st, anonA, ua, "identify", "identify", "map()", "2026-01-01 10:00:00");
      event(st, id("k-anonB"), ub, "identify", "identify", "map()", "2026-01-01 10:00:00");
      resolver.resolve();
      String pa = personOf(st, "user_id", ua);
      String pb = personOf(st, "user_id", ub);
      // user B logs in on A's browser: A's anonymous id now links to B
      event(st, anonA, ub, "track", "page_view", "map()", "2026-01-02 10:00:00");
      // two customer numbers claim one email: the per-type limit refuses the second
      new BatchLoader(w).load(file("crm.csv", "customer_no,email\n" + id("K1") + ",k" + run + "@example.com\n"
          + id("K2") + ",k" + run + "@example.com\n"), LoadKind.PERSONS, MappingSpec.defaultFor(LoadKind.PERSONS),
          BatchLoader.Options.defaults());
      IdentityResolver.RunSummary s = resolver.resolve();
      assertTrue(s.conflicts() >= 2, s.toText());
      assertEquals(pa, personOf(st, "user_id", ua));
      assertEquals(pb, personOf(st, "user_id", ub));
      assertEquals(pa, personOf(st, "anonymous_id", anonA), "the conflicting link is not applied");
      assertEquals("1", one(st, "SELECT count() FROM identity_conflicts WHERE reason = 'both_identified' AND"
          + " ((id_value = '" + ub + "' AND other_value = '" + anonA + "') OR (id_value = '" + anonA + "' AND other_value = '"
          + ub + "'))"));
      assertEquals("1", one(st, "SELECT count() FROM identity_conflicts WHERE reason = 'type_limit' AND (id_value = '"
          + id("K2") + "' OR other_value = '" + id("K2") + "')"));
      assertNotEquals(personOf(st, "customer_no", id("K1")), personOf(st, "customer_no", id("K2")));
      resolver.resolve();
      assertEquals("1", one(st, "SELECT count() FROM identity_conflicts WHERE reason = 'both_identified' AND"
          + " (id_value = '" + ub + "' OR other_value = '" + ub + "')"), "re-reading the overlap logs a conflict once");
    }
  }

  @Test
  void mergingTwoKnownPersonsIsLoggedWithItsLink() throws Exception {
    String anon = id("m-anon");
    String user = id("m-user");
    try (Connection c = w.connect(); Statement st = c.createStatement()) {
      event(st, anon, "", "page", "page_view", "map()", "2026-01-01 10:00:00");
      event(st, "", user, "track", "page_view", "map()", "2026-01-01 11:00:00");
      resolver.resolve();
      String pAnon = personOf(st, "anonymous_id", anon);
      String pUser = personOf(st, "user_id", user);
      assertNotEquals(pAnon, pUser);
      event(st, anon, user, "identify", "identify", "map()", "2026-01-01 12:00:00");
      IdentityResolver.RunSummary s = resolver.resolve();
      assertEquals(1, s.merges(), s.toText());
      String merged = personOf(st, "user_id", user);
      assertEquals(merged, personOf(st, "anonymous_id", anon));
      assertEquals("1", one(st, "SELECT count() FROM identity_merges WHERE into_person_id = '" + merged
          + "' AND from_person_id IN ('" + pAnon + "', '" + pUser + "') AND link_id_value IN ('" + anon + "', '" + user
          + "')"));
      assertEquals("1", one(st, "SELECT count() FROM persons_current WHERE person_id IN ('" + pAnon + "', '" + pUser
          + "')"), "the merged-away person is retired");
    }
  }
}
