package dev.lode.simulate;

import dev.lode.warehouse.Warehouse;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.function.LongConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Generates honest, labelled behavior around the catalog and customers in the warehouse:
 * sessions of category browsing and product views with dwell time, carts, checkouts,
 * purchases and abandoned carts, quick misclicks, price-sensitive browsers who look at the
 * cheap half of a category and convert less, bots, logins (identify events linking the
 * anonymous browser to the customer), plus tickets (complaints about items bought),
 * campaign sends and responses and CRM contacts for the same customers. Everything is
 * generated inside the engine ({@code INSERT … SELECT} over {@code numbers()}) from
 * {@code cityHash64(seed, …)}, so a seed gives the same rows every time; every row has
 * source {@code simulator} and events carry {@code properties['sim_persona']}. A run replaces
 * what an earlier run of the same seed wrote, so running it again leaves the same rows.
 */
public final class BehaviorSimulator {
  private static final Logger LOG = LoggerFactory.getLogger(BehaviorSimulator.class);

  /** Measured mean events per simulated session (see docs/loaders.md); sizes sessions to the requested events. */
  static final double EVENTS_PER_SESSION = 6.5;
  private static final long SESSIONS_PER_CHUNK = 400_000;

  private final Warehouse warehouse;

  public BehaviorSimulator(Warehouse warehouse) {
    this.warehouse = warehouse;
  }

  /**
   * What to simulate.
   *
   * @param events about how many events (the exact count follows from the seed)
   * @param from start of the simulated period; null = the loaded orders' first day, else 2025-01-01
   * @param to end of the period; null = the loaded orders' last day, else 2025-12-31
   */
  public record Spec(long seed, long events, Instant from, Instant to) {
    public Spec {
      if (seed < 0) {
        throw new IllegalArgumentException("seed must be >= 0, got " + seed);
      }
      if (events < 1 || events > 1_000_000_000L) {
        throw new IllegalArgumentException("events must be between 1 and 1,000,000,000, got " + events);
      }
    }
  }

  /** What a simulation wrote. */
  public record Result(long events, long sessions, long customers, long tickets, long campaignSends,
                       long campaignResponses, long contacts, double eventSeconds, double seconds) {
    public double eventsPerSecond() {
      return eventSeconds <= 0 ? 0 : events / eventSeconds;
    }

    public String toText() {
      return String.format("simulated %,d events in %,d sessions (%.1f s, %,.0f events/s) for %,d customers;"
          + " %,d tickets, %,d campaign sends, %,d responses, %,d CRM contacts; total %.1f s", events, sessions,
          eventSeconds, eventsPerSecond(), customers, tickets, campaignSends, campaignResponses, contacts, seconds);
    }
  }

  /** Runs the simulation; {@code progress} receives the events written so far. */
  public Result simulate(Spec spec, LongConsumer progress) throws SQLException {
    long t0 = System.nanoTime();
    long seed = spec.seed();
    try (Connection c = warehouse.connect(); Statement st = c.createStatement()) {
      removePrevious(st, seed);
      ensureCatalog(st, seed);
      long realCustomers = scalar(st, "SELECT uniqExact(customer_key) FROM order_lines WHERE customer_key != ''");
      String customers = realCustomers > 0
          ? "(SELECT groupArray(customer_key) FROM (SELECT DISTINCT customer_key FROM order_lines"
              + " WHERE customer_key != '' ORDER BY customer_key))"
          : "arrayMap(i -> concat('sim-c-', toString(i)), range(2000))";
      long nCustomers = realCustomers > 0 ? realCustomers : 2000;
      long[] period = period(st, spec);
      // visitors are fixed up front (sessions pick their visitor by hash); the session count adapts: chunks
      // run until the events written reach the request, each sized by the mean session length so far
      long estimate = Math.max(1, Math.round(spec.events() / EVENTS_PER_SESSION));
      long visitors = Math.max(nCustomers * 2, estimate / 4);
      String template = resource("/lode/simulate/events.sql");
      long te = System.nanoTime();
      long sessions = 0;
      long events = 0;
      while (events < spec.events()) {
        double mean = sessions == 0 ? EVENTS_PER_SESSION : (double) events / sessions;
        // the first chunk aims short of the request, so the top-up chunks (sized by measured means) land close
        double aim = sessions == 0 ? 0.95 : 1.0;
        long count = Math.max(1, Math.min(SESSIONS_PER_CHUNK, Math.round(aim * (spec.events() - events) / mean)));
        String sql = template.replace("{customers}", customers).replace("{seed}", Long.toString(seed))
            .replace("{lo}", Long.toString(sessions)).replace("{count}", Long.toString(count))
            .replace("{visitors}", Long.toString(visitors)).replace("{from_ms}", Long.toString(period[0]))
            .replace("{span_ms}", Long.toString(Math.max(1, period[1] - period[0])));
        long written = st.executeUpdate(sql);
        if (written <= 0) {
          throw new SQLException("the engine did not report the rows a simulation chunk wrote");
        }
        sessions += count;
        events += written;
        progress.accept(events);
      }
      double eventSeconds = (System.nanoTime() - te) / 1e9;
      String s = Long.toString(seed);
      String email = "lower(hex(SHA256(concat('c', %s, '@customers.example'))))";
      long contacts = insertCount(st, "crm_contacts", "INSERT INTO crm_contacts (contact_id, customer_no, user_id,"
          + " email_sha256, country, traits, source, loaded_at) SELECT concat('sim-crm-', ck), ck, concat('sim-u-', ck), "
          + String.format(email, "ck") + ", '', map('sim_persona', if(cityHash64(" + s + ", i - 1, 2) % 100 < 18,"
          + " 'price_sensitive', 'regular')), 'simulator', now64(3) FROM (SELECT arrayJoin(arrayEnumerate(" + customers
          + ")) AS i, (" + customers + ")[i] AS ck)");
      long tickets = simulateTickets(st, s, email, spec);
      long[] campaigns = simulateCampaigns(st, s, email, customers, period);
      Result r = new Result(events, sessions, nCustomers, tickets, campaigns[0], campaigns[1], contacts, eventSeconds,
          (System.nanoTime() - t0) / 1e9);
      // every caller prints or logs the result itself
      LOG.debug(r.toText());
      return r;
    }
  }

  /**
   * Deletes the rows an earlier run of {@code seed} wrote. The tables are ReplacingMergeTree, but
   * only a merge (or FINAL) collapses a re-inserted row, and the background merges of a large table
   * may take hours: until then plain counts, paths and funnels would see every row once per run.
   * CRM contacts are keyed by customer, not seed, so the simulator's own are replaced whole.
   */
  private static void removePrevious(Statement st, long seed) throws SQLException {
    String s = Long.toString(seed);
    st.execute("DELETE FROM events WHERE source = 'simulator' AND properties['sim_seed'] = '" + s + "'");
    st.execute("DELETE FROM tickets WHERE source = 'simulator' AND startsWith(ticket_id, 'sim-t-" + s + "-')");
    for (String table : new String[] {"campaigns", "campaign_sends", "campaign_responses"}) {
      st.execute("DELETE FROM " + table + " WHERE source = 'simulator' AND startsWith(campaign_id, 'sim-cmp-" + s + "-')");
    }
    st.execute("DELETE FROM crm_contacts WHERE source = 'simulator'");
  }

  /** Without a loaded catalog the simulator brings a small one of its own (source simulator). */
  private static void ensureCatalog(Statement st, long seed) throws SQLException {
    if (scalar(st, "SELECT count() FROM sim_catalog") > 0) {
      return;
    }
    st.execute("INSERT INTO items (item_id, title, category, price, stock, source, loaded_at) SELECT"
        + " concat('sim-item-', toString(number)), concat(cat, ' item ', toString(number)), cat,"
        + " toDecimal64(1 + cityHash64(" + seed + ", number, 50) % 4000 / 100, 4), 100, 'simulator', now64(3) FROM"
        + " (SELECT number, ['home_decor', 'kitchen', 'lighting', 'stationery', 'toys', 'bags', 'garden', 'seasonal']"
        + "[1 + number % 8] AS cat FROM numbers(400))");
  }

  private static long[] period(Statement st, Spec spec) throws SQLException {
    long from;
    long to;
    // the central 98 % of order times, at most two years: stray orders far from the rest do not stretch it
    try (ResultSet rs = st.executeQuery("SELECT count(), toUnixTimestamp64Milli(quantileExact(0.01)(order_time)),"
        + " toUnixTimestamp64Milli(quantileExact(0.99)(order_time)) FROM order_lines")) {
      rs.next();
      boolean any = rs.getLong(1) > 0;
      from = any ? rs.getLong(2) : Instant.parse("2025-01-01T00:00:00Z").toEpochMilli();
      to = any ? rs.getLong(3) : Instant.parse("2025-12-31T00:00:00Z").toEpochMilli();
    }
    from = Math.max(from, to - 730 * 86_400_000L);
    if (to - from < 86_400_000L) {
      from = to - 365 * 86_400_000L; // orders on a single day: simulate the year before them
    }
    if (spec.from() != null) {
      from = spec.from().toEpochMilli();
    }
    if (spec.to() != null) {
      to = spec.to().toEpochMilli();
    }
    if (to <= from) {
      throw new IllegalArgumentException("the simulated period ends before it starts");
    }
    return new long[] {from, to};
  }

  /** Tickets about bought items: ~4% of completed real orders and of simulated purchases by logged-in customers. */
  private static long simulateTickets(Statement st, String s, String email, Spec spec) throws SQLException {
    String columns = "INSERT INTO tickets (ticket_id, requester, requester_type, item_id, order_id, opened_at,"
        + " closed_at, ticket_type, channel, sentiment, severity, status, subject, body, source, loaded_at) ";
    String shape = " concat('sim-t-', " + s + ", '-', oid), " + String.format(email, "ck") + ", 'email_sha256', item, oid,"
        + " ot + toIntervalHour(24 + cityHash64(" + s + ", oid, 3) % 480) AS opened,"
        + " if(cityHash64(" + s + ", oid, 4) % 100 < 85, opened + toIntervalHour(1 + cityHash64(" + s + ", oid, 5) % 96), NULL),"
        + " multiIf(r < 45, 'complaint', r < 65, 'return', r < 85, 'question', r < 95, 'delivery', 'praise') AS tt,"
        + " ['email', 'chat', 'phone'][1 + cityHash64(" + s + ", oid, 6) % 3],"
        + " toFloat32(multiIf(tt = 'complaint', -0.9 + (cityHash64(" + s + ", oid, 7) % 60) / 100, tt = 'praise', 0.8,"
        + " tt = 'return', -0.3, 0.0)),"
        + " toUInt8(multiIf(tt = 'complaint', 3 + cityHash64(" + s + ", oid, 8) % 3, tt = 'praise', 1, 2)),"
        + " if(cityHash64(" + s + ", oid, 4) % 100 < 85, 'solved', 'open'),"
        + " multiIf(tt = 'complaint', concat('Problem with item ', item), tt = 'return', concat('Return of ', item),"
        + " tt = 'question', 'Question about my order', tt = 'delivery', 'Where is my parcel?', 'Thank you!'),"
        + " '', 'simulator', now64(3)";
    long before = scalar(st, "SELECT count() FROM tickets WHERE source = 'simulator'");
    st.execute(columns + "SELECT" + shape + " FROM (SELECT order_id AS oid, any(customer_key) AS ck,"
        + " min(order_time) AS ot, any(item_id) AS item, cityHash64(" + s + ", oid, 2) % 100 AS r FROM order_lines"
        + " WHERE customer_key != '' AND status = 'completed' GROUP BY order_id HAVING cityHash64(" + s
        + ", oid, 1) % 100 < 4)");
    st.execute(columns + "SELECT" + shape + " FROM (SELECT properties['order_id'] AS oid, substring(user_id, 7) AS ck,"
        + " event_time AS ot, item_id AS item, cityHash64(" + s + ", oid, 2) % 100 AS r FROM events"
        + " WHERE source = 'simulator' AND event_name = 'purchase' AND user_id != '' AND properties['sim_seed'] = '" + s
        + "' AND cityHash64(" + s + ", oid, 1) % 100 < 4)");
    return scalar(st, "SELECT count() FROM tickets WHERE source = 'simulator'") - before;
  }

  /** Six campaigns; each customer gets about half; responses depend on the offer and the customer's persona. */
  private static long[] simulateCampaigns(Statement st, String s, String email, String customers, long[] period)
      throws SQLException {
    long span = period[1] - period[0];
    // send ids are opaque: a per-run random key, never kept, so no send id tells whose send it was
    byte[] key = new byte[16];
    new java.security.SecureRandom().nextBytes(key);
    String nonce = java.util.HexFormat.of().formatHex(key);
    st.execute("INSERT INTO campaigns (campaign_id, name, channel, offer, starts_at, ends_at, source, loaded_at)"
        + " SELECT concat('sim-cmp-', " + s + ", '-', toString(number)),"
        + " ['Winter sale', 'Spring newsletter', 'Free shipping weekend', 'Summer coupon', 'Autumn newsletter',"
        + " 'Christmas gifts'][number + 1], 'email',"
        + " ['coupon_10', 'none', 'free_shipping', 'coupon_15', 'none', 'coupon_10'][number + 1],"
        + " fromUnixTimestamp64Milli(toInt64(" + period[0] + " + " + span + " * number / 6), 'UTC'),"
        + " fromUnixTimestamp64Milli(toInt64(" + period[0] + " + " + span + " * number / 6 + 14 * 86400000), 'UTC'),"
        + " 'simulator', now64(3) FROM numbers(6)");
    long sendsBefore = scalar(st, "SELECT count() FROM campaign_sends WHERE source = 'simulator'");
    long respBefore = scalar(st, "SELECT count() FROM campaign_responses WHERE source = 'simulator'");
    String base = "SELECT concat('sim-cmp-', " + s + ", '-', toString(cn)) AS cid,"
        + " concat('sim-send-', " + s + ", '-', toString(cn), '-', ck) AS sk,"
        + " concat('sim-send-', " + s + ", '-', toString(cn), '-', lower(hex(substring(SHA256(concat('" + nonce
        + "', sk)), 1, 8)))) AS sid, " + String.format(email, "ck") + " AS rcp,"
        + " fromUnixTimestamp64Milli(toInt64(" + period[0] + " + " + span + " * cn / 6 + cityHash64(" + s
        + ", sk, 1) % 36000000), 'UTC') AS sent, cn IN (0, 3, 5) AS coupon,"
        + " cityHash64(" + s + ", i - 1, 2) % 100 < 18 AS ps FROM (SELECT arrayJoin(arrayEnumerate(" + customers
        + ")) AS i, (" + customers + ")[i] AS ck) AS cl CROSS JOIN (SELECT number AS cn FROM numbers(6)) AS cm"
        + " WHERE cityHash64(" + s + ", ck, cn, 0) % 100 < 50";
    st.execute("INSERT INTO campaign_sends (campaign_id, send_id, recipient, recipient_type, channel, variant, sent_at,"
        + " source, loaded_at) SELECT cid, sid, rcp, 'email_sha256', 'email', ['A', 'B'][1 + cityHash64(sk, 9) % 2],"
        + " sent, 'simulator', now64(3) FROM (" + base + ")");
    // open 35%; click 30% of opens (70% for price-sensitive customers on a coupon); convert 20% of clicks (50%)
    st.execute("INSERT INTO campaign_responses (campaign_id, send_id, recipient, recipient_type, response_type,"
        + " responded_at, order_id, source, loaded_at) SELECT cid, sid, rcp, 'email_sha256', rt,"
        + " sent + toIntervalMinute(10 + cityHash64(" + s + ", sk, rt) % 2880), '', 'simulator', now64(3) FROM ("
        + " SELECT *, cityHash64(" + s + ", sk, 2) % 100 < 35 AS opened,"
        + " opened AND cityHash64(" + s + ", sk, 3) % 100 < if(coupon AND ps, 70, 30) AS clicked,"
        + " clicked AND cityHash64(" + s + ", sk, 4) % 100 < if(coupon AND ps, 50, 20) AS converted,"
        + " cityHash64(" + s + ", sk, 5) % 100 < 1 AS unsub FROM (" + base + "))"
        + " ARRAY JOIN arrayFilter(x -> x != '', [if(opened, 'open', ''), if(clicked, 'click', ''),"
        + " if(converted, 'convert', ''), if(unsub, 'unsubscribe', '')]) AS rt");
    return new long[] {scalar(st, "SELECT count() FROM campaign_sends WHERE source = 'simulator'") - sendsBefore,
        scalar(st, "SELECT count() FROM campaign_responses WHERE source = 'simulator'") - respBefore};
  }

  private static long insertCount(Statement st, String table, String sql) throws SQLException {
    long before = scalar(st, "SELECT count() FROM " + table + " WHERE source = 'simulator'");
    st.execute(sql);
    return scalar(st, "SELECT count() FROM " + table + " WHERE source = 'simulator'") - before;
  }

  static long scalar(Statement st, String sql) throws SQLException {
    try (ResultSet rs = st.executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    }
  }

  private static String resource(String path) {
    try (InputStream in = BehaviorSimulator.class.getResourceAsStream(path)) {
      if (in == null) {
        throw new IllegalStateException(path + " is missing from the classpath");
      }
      String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      // drop the leading comment lines; the endpoint takes one statement
      return text.replaceAll("(?m)^--.*\n", "");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
