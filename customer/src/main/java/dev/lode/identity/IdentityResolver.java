package dev.lode.identity;

import dev.lode.hash.Sha256;
import dev.lode.warehouse.IdentifierHygiene;

import dev.lode.config.LodeConfig;
import dev.lode.warehouse.insert.RowBinaryInsert;
import dev.lode.warehouse.insert.TargetTable;
import dev.lode.warehouse.StepProgress;
import dev.lode.warehouse.Warehouse;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Resolves one person across the collector's events and the silos, incrementally: each
 * run reads only what arrived since the last one (events by received_time, each silo
 * table by loaded_at, with an overlap so rows inserted late are not missed — re-reading
 * a link is a no-op), fetches the persons those ids already belong to, applies the new
 * evidence with {@link IdentityGraph} and writes the ids that changed to
 * {@code identities}, new and merged-away persons to {@code persons}, and every merge and
 * refused link to {@code identity_merges} and {@code identity_conflicts}; then
 * {@link SiloAttribution} stamps the silo rows those ids carry with their person.
 */
public final class IdentityResolver {
  private static final Logger LOG = LoggerFactory.getLogger(IdentityResolver.class);
  private static final Object LOCK = new Object();

  /** Input streams and the tables their watermarks run over. */
  static final List<String> STREAMS = List.of("events", "order_lines", "tickets", "campaign_sends",
      "campaign_responses", "crm_contacts", "identity_links");

  private final Warehouse warehouse;
  private final Map<String, Integer> limits;
  private final long overlapMs;

  /** What one run did. */
  public record RunSummary(long evidence, long newIds, long movedIds, long newPersons, long merges, long conflicts,
                           long unusableIds, Map<String, Long> restamped, double seconds) {
    public String toText() {
      long keys = restamped.values().stream().mapToLong(Long::longValue).sum();
      return String.format("identity resolution: %,d observations → %,d new ids, %,d ids moved, %,d new persons,"
          + " %,d merges, %,d conflicts (not merged), %,d unusable ids ignored, %,d silo keys attributed, %.2f s",
          evidence, newIds, movedIds, newPersons, merges, conflicts, unusableIds, keys, seconds);
    }
  }

  public IdentityResolver(Warehouse warehouse, LodeConfig config) {
    this.warehouse = warehouse;
    Map<String, Integer> l = new HashMap<>();
    l.put("user_id", config.getInt("lode.identity.limit.user_id", 1));
    l.put("customer_no", config.getInt("lode.identity.limit.customer_no", 1));
    l.put("email_sha256", config.getInt("lode.identity.limit.email_sha256", 3));
    l.put("phone_sha256", config.getInt("lode.identity.limit.phone_sha256", 3));
    this.limits = l;
    this.overlapMs = config.getInt("lode.identity.overlap-seconds", 300) * 1000L;
  }

  /** Reads everything new since the last run and applies it. */
  public RunSummary resolve() throws SQLException {
    return resolve(StepProgress.NONE);
  }

  /** {@link #resolve()}, telling {@code steps} as each input stream is read and the graph applied and written. */
  public RunSummary resolve(StepProgress steps) throws SQLException {
    int of = STREAMS.size() + 3;
    synchronized (LOCK) {
      long t0 = System.nanoTime();
      long hi = System.currentTimeMillis();
      try (Connection c = warehouse.connect()) {
        Map<String, Long> marks = watermarks(c);
        List<IdentityEvidence> evidence = new ArrayList<>();
        Set<String> aliasTargets = new LinkedHashSet<>();
        Map<String, Long> windows = new HashMap<>();
        int step = 0;
        for (String stream : STREAMS) {
          steps.begin(step++, of, "reading " + stream);
          long lo = marks.getOrDefault(stream, 0L);
          lo = lo == 0 ? 0 : lo - overlapMs;
          windows.put(stream, lo);
          read(c, stream, lo, hi, evidence, aliasTargets);
        }
        steps.begin(step++, of, "linking " + evidence.size() + " identities");
        IdentityGraph graph = new IdentityGraph(limits);
        Set<TypedId> touched = new LinkedHashSet<>();
        for (IdentityEvidence e : evidence) {
          touched.add(e.a());
          if (e.b() != null) {
            touched.add(e.b());
          }
        }
        for (String prev : aliasTargets) {
          touched.add(new TypedId("user_id", prev));
          touched.add(new TypedId("anonymous_id", prev));
        }
        Set<TypedId> knownUsers = new java.util.HashSet<>();
        loadExisting(c, touched, graph, knownUsers);
        evidence = retypeAliases(evidence, aliasTargets, knownUsers);
        IdentityGraph.Result r = graph.apply(evidence);
        steps.begin(step++, of, "writing " + r.assignments().size() + " assignments");
        write(c, r);
        steps.begin(step, of, "attributing silo records");
        Map<String, Long> restamped = SiloAttribution.apply(c, warehouse::mutationTarget, windows, lookupChanged(c, r));
        List<Object[]> wm = new ArrayList<>();
        for (String s : STREAMS) {
          wm.add(new Object[] {s, hi, System.currentTimeMillis()});
        }
        RowBinaryInsert.insert(c, TargetTable.WATERMARKS, out -> {
          for (Object[] row : wm) {
            TargetTable.WATERMARKS.write(out, row);
          }
        });
        long newIds = r.assignments().stream().filter(a -> !a.reason().equals("merge")).count();
        RunSummary s = new RunSummary(evidence.size(), newIds, r.assignments().size() - newIds, r.newPersons().size(),
            r.merges().size(), r.conflicts().size(), r.unusableIds(), restamped, (System.nanoTime() - t0) / 1e9);
        // the caller prints or logs the summary (a server's schedule when there was input)
        LOG.debug(s.toText());
        return s;
      }
    }
  }

  private static Map<String, Long> watermarks(Connection c) throws SQLException {
    Map<String, Long> m = new HashMap<>();
    try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(
        "SELECT stream, toUnixTimestamp64Milli(argMax(watermark, updated_at)) FROM identity_watermarks GROUP BY stream")) {
      while (rs.next()) {
        m.put(rs.getString(1), rs.getLong(2));
      }
    }
    return m;
  }

  private static String window(String column, long lo, long hi) {
    // lo and hi are longs from this class, never user text
    return column + " > fromUnixTimestamp64Milli(toInt64(" + lo + "), 'UTC') AND " + column
        + " <= fromUnixTimestamp64Milli(toInt64(" + hi + "), 'UTC')";
  }

  private void read(Connection c, String stream, long lo, long hi, List<IdentityEvidence> out, Set<String> aliasTargets)
      throws SQLException {
    switch (stream) {
      case "events" -> readEvents(c, lo, hi, out, aliasTargets);
      case "order_lines" -> query(c, "SELECT customer_key, toUnixTimestamp64Milli(min(order_time)), any(source),"
          + " concat('order ', any(order_id)) FROM order_lines WHERE " + window("loaded_at", lo, hi)
          + " AND customer_key != '' GROUP BY customer_key", rs -> out.add(new IdentityEvidence(
          new TypedId("customer_no", rs.getString(1)), null, rs.getLong(2), rs.getString(3), rs.getString(4), "crm_key")));
      case "tickets" -> query(c, "SELECT t.requester_type, t.requester, o.ck,"
          + " toUnixTimestamp64Milli(t.opened_at), t.source, concat('ticket ', t.ticket_id) FROM tickets AS t"
          + " LEFT JOIN (SELECT order_id, any(customer_key) AS ck FROM order_lines WHERE customer_key != ''"
          + " GROUP BY order_id) AS o ON o.order_id = t.order_id WHERE " + window("t.loaded_at", lo, hi)
          + " AND t.requester != ''", rs -> {
            String customer = rs.getString(3);
            TypedId req = new TypedId(type(rs.getString(1), "email_sha256"), rs.getString(2));
            out.add(new IdentityEvidence(req, customer == null || customer.isEmpty() ? null
                : new TypedId("customer_no", customer), rs.getLong(4), rs.getString(5), rs.getString(6),
                "ticket_requester"));
          });
      case "campaign_sends", "campaign_responses" -> query(c, "SELECT recipient_type, recipient, toUnixTimestamp64Milli(min("
          + (stream.equals("campaign_sends") ? "sent_at" : "responded_at") + ")), any(source),"
          + " concat('campaign ', any(campaign_id)) FROM " + stream + " WHERE " + window("loaded_at", lo, hi)
          + " AND recipient != '' GROUP BY recipient_type, recipient", rs -> out.add(new IdentityEvidence(
          new TypedId(type(rs.getString(1), "email_sha256"), rs.getString(2)), null, rs.getLong(3), rs.getString(4),
          rs.getString(5), "campaign_recipient")));
      case "crm_contacts" -> query(c, "SELECT customer_no, user_id, email_sha256, phone_sha256,"
          + " toUnixTimestamp64Milli(loaded_at), source, concat('crm ', contact_id) FROM crm_contacts WHERE "
          + window("loaded_at", lo, hi), rs -> {
            List<TypedId> ids = new ArrayList<>();
            String[] types = {"customer_no", "user_id", "email_sha256", "phone_sha256"};
            for (int i = 0; i < 4; i++) {
              String v = rs.getString(i + 1);
              if (v != null && !v.isEmpty()) {
                ids.add(new TypedId(types[i], v));
              }
            }
            for (int i = 0; i < ids.size(); i++) {
              out.add(new IdentityEvidence(ids.get(0), i == 0 ? null : ids.get(i), rs.getLong(5), rs.getString(6),
                  rs.getString(7), "crm_key"));
            }
          });
      case "identity_links" -> query(c, "SELECT id_type, id_value, other_type, other_value,"
          + " toUnixTimestamp64Milli(linked_at), source, evidence FROM identity_links WHERE "
          + window("loaded_at", lo, hi), rs -> out.add(new IdentityEvidence(new TypedId(rs.getString(1), rs.getString(2)),
          new TypedId(rs.getString(3), rs.getString(4)), rs.getLong(5), rs.getString(6), rs.getString(7), "link")));
      default -> throw new IllegalStateException(stream);
    }
  }

  private static String type(String t, String fallback) {
    return t == null || t.isEmpty() ? fallback : t;
  }

  /**
   * Links carried by events: identify (anonymous_id ↔ user_id, plus traits email, phone,
   * customer_no), alias (user_id ↔ previous_id) and any event sent with both ids (a
   * login). Grouped in the engine so millions of events become one row per id pair.
   */
  private void readEvents(Connection c, long lo, long hi, List<IdentityEvidence> out, Set<String> aliasTargets)
      throws SQLException {
    String trait = "if(properties['%1$s'] != '', properties['%1$s'], properties['traits.%1$s'])";
    String sql = "SELECT anonymous_id, user_id, properties['previous_id'] AS prev, "
        + String.format(trait, "email") + " AS email, " + String.format(trait, "phone") + " AS phone, "
        + String.format(trait, "customer_no") + " AS cust, max(event_type = 'identify') AS ident,"
        + " toUnixTimestamp64Milli(min(event_time)) AS t, any(event_id) AS ev, any(source) AS src"
        + " FROM events WHERE " + window("received_time", lo, hi)
        + " GROUP BY anonymous_id, user_id, prev, email, phone, cust";
    query(c, sql, rs -> {
      String anon = rs.getString(1);
      String user = rs.getString(2);
      String prev = rs.getString(3);
      long t = rs.getLong(8);
      String ev = "event " + rs.getString(9);
      String src = rs.getString(10);
      TypedId a = anon.isEmpty() ? null : new TypedId("anonymous_id", anon);
      TypedId u = user.isEmpty() ? null : new TypedId("user_id", user);
      TypedId main = u != null ? u : a;
      if (main == null) {
        return;
      }
      if (a != null && u != null) {
        out.add(new IdentityEvidence(u, a, t, src, ev, rs.getBoolean(7) ? "identify" : "login"));
      } else {
        out.add(new IdentityEvidence(main, null, t, src, ev, "seen"));
      }
      if (!prev.isEmpty()) {
        aliasTargets.add(prev);
        out.add(new IdentityEvidence(main, new TypedId("alias_target", prev), t, src, ev, "alias"));
      }
      String email = rs.getString(4);
      if (!email.isEmpty() && IdentifierHygiene.isUsable(email)) {
        out.add(new IdentityEvidence(main, new TypedId("email_sha256", sha256(email.strip().toLowerCase(Locale.ROOT))),
            t, src, ev, "identify"));
      }
      String phone = rs.getString(5);
      if (!phone.isEmpty() && IdentifierHygiene.isUsable(phone)) {
        String p = phone.strip();
        p = (p.startsWith("+") ? "+" : "") + p.replaceAll("[^0-9]", "");
        out.add(new IdentityEvidence(main, new TypedId("phone_sha256", sha256(p)), t, src, ev, "identify"));
      }
      String cust = rs.getString(6);
      if (!cust.isEmpty()) {
        out.add(new IdentityEvidence(main, new TypedId("customer_no", cust), t, src, ev, "identify"));
      }
    });
  }

  /** An alias's previous id is a user_id when Lode knows it as one, else an anonymous_id. */
  private static List<IdentityEvidence> retypeAliases(List<IdentityEvidence> evidence, Set<String> aliasTargets,
                                                      Set<TypedId> knownUsers) {
    if (aliasTargets.isEmpty()) {
      return evidence;
    }
    Set<String> users = new java.util.HashSet<>();
    knownUsers.forEach(u -> users.add(u.value()));
    for (IdentityEvidence e : evidence) {
      if (e.a().type().equals("user_id")) {
        users.add(e.a().value());
      }
    }
    List<IdentityEvidence> out = new ArrayList<>(evidence.size());
    for (IdentityEvidence e : evidence) {
      if (e.b() != null && e.b().type().equals("alias_target")) {
        String v = e.b().value();
        out.add(new IdentityEvidence(e.a(), new TypedId(users.contains(v) ? "user_id" : "anonymous_id", v), e.time(),
            e.source(), e.evidence(), e.reason()));
      } else {
        out.add(e);
      }
    }
    return out;
  }

  /** Fetches the persons the touched ids belong to, with all of those persons' ids. */
  private void loadExisting(Connection c, Set<TypedId> touched, IdentityGraph graph, Set<TypedId> knownUsers)
      throws SQLException {
    if (touched.isEmpty()) {
      return;
    }
    String runId = UUID.randomUUID().toString();
    List<TypedId> ids = new ArrayList<>(touched);
    // anonymous_id candidates for alias targets are looked up too
    RowBinaryInsert.insert(c, TargetTable.IDENTITY_LOOKUP, out -> {
      for (TypedId id : ids) {
        TargetTable.IDENTITY_LOOKUP.write(out, new Object[] {runId, id.type(), id.value()});
      }
    });
    try (PreparedStatement ps = c.prepareStatement("SELECT id_type, id_value, person_id,"
        + " toUnixTimestamp64Milli(first_seen), source FROM identities FINAL WHERE is_deleted = 0 AND person_id IN"
        + " (SELECT person_id FROM identities FINAL WHERE is_deleted = 0 AND (id_type, id_value) IN"
        + " (SELECT id_type, id_value FROM identity_lookup WHERE run_id = ?))")) {
      ps.setString(1, runId);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          TypedId id = new TypedId(rs.getString(1), rs.getString(2));
          graph.addExisting(id, rs.getString(3), rs.getLong(4), rs.getString(5));
          if (id.type().equals("user_id")) {
            knownUsers.add(id);
          }
        }
      }
    }
  }

  /** Puts the ids this run assigned or moved into identity_lookup under a run id of their own, for the silo stamping. */
  private static String lookupChanged(Connection c, IdentityGraph.Result r) throws SQLException {
    String runId = UUID.randomUUID().toString();
    if (!r.assignments().isEmpty()) {
      RowBinaryInsert.insert(c, TargetTable.IDENTITY_LOOKUP, out -> {
        for (IdentityGraph.Assignment a : r.assignments()) {
          TargetTable.IDENTITY_LOOKUP.write(out, new Object[] {runId, a.id().type(), a.id().value()});
        }
      });
    }
    return runId;
  }

  private static void write(Connection c, IdentityGraph.Result r) throws SQLException {
    long now = System.currentTimeMillis();
    if (!r.assignments().isEmpty()) {
      RowBinaryInsert.insert(c, TargetTable.IDENTITIES, out -> {
        for (IdentityGraph.Assignment a : r.assignments()) {
          TargetTable.IDENTITIES.write(out, new Object[] {a.id().type(), a.id().value(), a.personId(),
              a.firstSeen() == Long.MAX_VALUE ? now : a.firstSeen(), now, a.source() == null ? "" : a.source(),
              a.reason(), 0L});
        }
      });
    }
    if (!r.newPersons().isEmpty() || !r.retiredPersons().isEmpty()) {
      RowBinaryInsert.insert(c, TargetTable.PERSONS, out -> {
        for (IdentityGraph.NewPerson p : r.newPersons()) {
          TargetTable.PERSONS.write(out, new Object[] {p.personId(), now, now,
              p.firstSeen() == Long.MAX_VALUE ? null : p.firstSeen(), p.source() == null ? "" : p.source(), 0L});
        }
        for (String p : r.retiredPersons()) {
          TargetTable.PERSONS.write(out, new Object[] {p, now, now, null, "merge", 1L});
        }
      });
    }
    if (!r.merges().isEmpty()) {
      RowBinaryInsert.insert(c, TargetTable.IDENTITY_MERGES, out -> {
        for (IdentityGraph.Merge m : r.merges()) {
          IdentityEvidence e = m.cause();
          TargetTable.IDENTITY_MERGES.write(out, new Object[] {now, m.from(), m.into(), e.a().type(), e.a().value(),
              e.b().type(), e.b().value(), e.source(), e.evidence()});
        }
      });
    }
    if (!r.conflicts().isEmpty()) {
      Set<String> logged = loggedConflicts(c);
      List<IdentityGraph.Conflict> fresh = new ArrayList<>();
      for (IdentityGraph.Conflict k : r.conflicts()) {
        if (logged.add(conflictKey(k.cause()))) {
          fresh.add(k); // the overlap window re-reads links; a refused link is logged once
        }
      }
      if (!fresh.isEmpty()) {
        RowBinaryInsert.insert(c, TargetTable.IDENTITY_CONFLICTS, out -> {
          for (IdentityGraph.Conflict k : fresh) {
            IdentityEvidence e = k.cause();
            TargetTable.IDENTITY_CONFLICTS.write(out, new Object[] {now, k.personA(), k.personB(), e.a().type(),
                e.a().value(), e.b().type(), e.b().value(), k.reason(), e.source(), e.evidence()});
          }
        });
      }
    }
  }

  private static String conflictKey(IdentityEvidence e) {
    return e.a() + "\u0001" + e.b();
  }

  private static Set<String> loggedConflicts(Connection c) throws SQLException {
    Set<String> s = new java.util.HashSet<>();
    query(c, "SELECT id_type, id_value, other_type, other_value FROM identity_conflicts", rs -> s.add(
        new TypedId(rs.getString(1), rs.getString(2)) + "\u0001" + new TypedId(rs.getString(3), rs.getString(4))));
    return s;
  }

  /** Reads rows of a query. */
  @FunctionalInterface
  private interface RowHandler {
    void row(ResultSet rs) throws SQLException;
  }

  private static void query(Connection c, String sql, RowHandler h) throws SQLException {
    try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
      while (rs.next()) {
        h.row(rs);
      }
    }
  }

  static String sha256(String s) {
    return Sha256.hex(s);
  }

  /** Counts for people: ids by type and persons. */
  public static Map<String, Long> counts(Connection c) throws SQLException {
    Map<String, Long> m = new LinkedHashMap<>();
    query(c, "SELECT id_type, count() FROM identities_current GROUP BY id_type ORDER BY id_type",
        rs -> m.put(rs.getString(1), rs.getLong(2)));
    query(c, "SELECT count() FROM persons_current", rs -> m.put("persons", rs.getLong(1)));
    return m;
  }
}
