package dev.lode.identity;

import dev.lode.warehouse.SqlLiteral;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Stamps silo rows with the person their id resolves to, after each resolution run: order
 * lines and orders by their customer number, tickets by their requester (else the customer of
 * their order), campaign sends and responses by their recipient, consents by their id. Loaders
 * cannot know the person (a mapping names a customer number or an email, never Lode's person),
 * so without this every reader of {@code person_id} — profiles, tags, recommendations,
 * rec_eval, reports — would see none of the loaded rows.
 *
 * <p>Incremental: a run looks only at rows loaded inside the resolver's window and at rows
 * whose id the run assigned or moved (the ids in {@code identity_lookup} under the run's id),
 * and rewrites only rows whose stamped person differs. It writes in place with a synchronous
 * mutation (no duplicate row, {@code loaded_at} untouched) and logs the persons that gained or
 * lost rows in {@code silo_attributions}, which the incremental refreshes read as changes.
 */
final class SiloAttribution {
  private static final Logger LOG = LoggerFactory.getLogger(SiloAttribution.class);
  /** Pairs per mutation: keeps the statement well under the engine's 256 KiB query limit. */
  private static final int CHUNK_CHARS = 120_000;

  /**
   * One silo: {@code rows} selects k (the key the mutation matches on), id_type, id_value,
   * stamped (the person_id it carries) and loaded_at; {@code key} is k as an expression over the
   * table's own columns; {@code stream} names the resolver stream whose window applies, or null
   * for a table without loaded_at (consents: read whole, it is small).
   */
  record Silo(String table, String key, String rows, String stream) {
  }

  static final List<Silo> SILOS = List.of(
      new Silo("order_lines", "customer_key", "SELECT customer_key AS k, 'customer_no' AS id_type,"
          + " customer_key AS id_value, person_id AS stamped, loaded_at FROM order_lines WHERE customer_key != ''",
          "order_lines"),
      new Silo("orders", "customer_key", "SELECT customer_key AS k, 'customer_no' AS id_type,"
          + " customer_key AS id_value, person_id AS stamped, loaded_at FROM orders WHERE customer_key != ''",
          "order_lines"),
      new Silo("tickets", "ticket_id", "SELECT ticket_id AS k, if(requester_type = '', 'email_sha256', requester_type)"
          + " AS id_type, requester AS id_value, person_id AS stamped, loaded_at FROM tickets WHERE requester != ''"
          // a ticket naming only its order: the order's customer, also when the order arrives after the ticket
          + " UNION ALL SELECT t.ticket_id, 'customer_no', o.ck, t.person_id, greatest(t.loaded_at, o.lat) FROM tickets AS t"
          + " INNER JOIN (SELECT order_id, any(customer_key) AS ck, max(loaded_at) AS lat FROM order_lines"
          + " WHERE customer_key != ''"
          + " GROUP BY order_id) AS o ON o.order_id = t.order_id WHERE t.requester = '' AND t.order_id != ''",
          "tickets"),
      new Silo("campaign_sends", recipientKey(), recipientRows("campaign_sends"), "campaign_sends"),
      new Silo("campaign_responses", recipientKey(), recipientRows("campaign_responses"), "campaign_responses"),
      new Silo("consents", "concat(id_type, ':', id_value)", "SELECT concat(id_type, ':', id_value) AS k, id_type,"
          + " id_value, person_id AS stamped, recorded_at AS loaded_at FROM consents WHERE id_value != ''", null));

  private static String recipientKey() {
    return "concat(if(recipient_type = '', 'email_sha256', recipient_type), ':', recipient)";
  }

  private static String recipientRows(String table) {
    return "SELECT " + recipientKey() + " AS k, if(recipient_type = '', 'email_sha256', recipient_type) AS id_type,"
        + " recipient AS id_value, person_id AS stamped, loaded_at FROM " + table + " WHERE recipient != ''";
  }

  private SiloAttribution() {
  }

  /**
   * Re-stamps the rows of every silo whose person is not the one their id resolves to now.
   *
   * @param windows per resolver stream, the (exclusive) low end of this run's window in epoch ms
   * @param changedRun the identity_lookup run id holding the ids this run assigned or moved
   * @return rows keys re-stamped per silo
   */
  static Map<String, Long> apply(Connection c, UnaryOperator<String> target, Map<String, Long> windows,
      String changedRun) throws SQLException {
    Map<String, Long> out = new LinkedHashMap<>();
    try (Statement st = c.createStatement()) {
      for (Silo s : SILOS) {
        long t0 = System.nanoTime();
        String scope = s.stream() == null ? "1" : "r.loaded_at > fromUnixTimestamp64Milli(toInt64("
            + windows.getOrDefault(s.stream(), 0L) + "), 'UTC')";
        String sql = "SELECT r.k, any(i.person_id), groupUniqArray(r.stamped) FROM (" + s.rows() + ") AS r"
            + " INNER JOIN (SELECT id_type, id_value, person_id FROM identities FINAL WHERE is_deleted = 0"
            + " AND (id_type, id_value) IN (SELECT id_type, id_value FROM (" + s.rows() + "))) AS i"
            + " ON i.id_type = r.id_type AND i.id_value = r.id_value"
            + " WHERE (" + scope + " OR (r.id_type, r.id_value) IN (SELECT id_type, id_value FROM identity_lookup"
            + " WHERE run_id = " + SqlLiteral.string(changedRun) + ")) AND r.stamped != i.person_id"
            + " GROUP BY r.k";
        Map<String, String> pairs = new LinkedHashMap<>();
        Set<String> touched = new LinkedHashSet<>();
        try (ResultSet rs = st.executeQuery(sql)) {
          while (rs.next()) {
            pairs.put(rs.getString(1), rs.getString(2));
            touched.add(rs.getString(2));
            Object[] before = (Object[]) rs.getArray(3).getArray();
            for (Object b : before) {
              if (b != null && !b.toString().isEmpty()) {
                touched.add(b.toString()); // the person that loses the rows changes too
              }
            }
          }
        }
        long found = System.nanoTime();
        if (!pairs.isEmpty()) {
          stamp(st, target, s, pairs);
          log(st, s.table(), touched, pairs.size());
        }
        LOG.debug("{}: {} keys re-stamped; found in {} ms, stamped in {} ms", s.table(), pairs.size(),
            (found - t0) / 1_000_000, (System.nanoTime() - found) / 1_000_000);
        out.put(s.table(), (long) pairs.size());
      }
    }
    return out;
  }

  private static void stamp(Statement st, UnaryOperator<String> target, Silo s, Map<String, String> pairs) throws SQLException {
    List<String> keys = new ArrayList<>();
    List<String> persons = new ArrayList<>();
    int chars = 0;
    for (Map.Entry<String, String> e : pairs.entrySet()) {
      String k = SqlLiteral.string(e.getKey());
      String p = SqlLiteral.string(e.getValue());
      keys.add(k);
      persons.add(p);
      chars += k.length() + p.length() + 2;
      if (chars > CHUNK_CHARS) {
        mutate(st, target, s, keys, persons);
        keys.clear();
        persons.clear();
        chars = 0;
      }
    }
    if (!keys.isEmpty()) {
      mutate(st, target, s, keys, persons);
    }
  }

  private static void mutate(Statement st, UnaryOperator<String> target, Silo s, List<String> keys,
      List<String> persons) throws SQLException {
    String list = String.join(", ", keys);
    // transform() keeps the mutation deterministic (no subquery, no join table): a mutation that
    // failed would be retried by the engine forever and hold up every later one on the table
    st.execute("ALTER TABLE " + target.apply(s.table()) + " UPDATE person_id = transform(" + s.key() + ", [" + list + "], ["
        + String.join(", ", persons) + "], person_id) WHERE " + s.key() + " IN (" + list + ")"
        + " SETTINGS mutations_sync = 2");
  }

  private static void log(Statement st, String silo, Set<String> persons, long keys) throws SQLException {
    StringBuilder values = new StringBuilder();
    for (String p : persons) {
      if (values.length() > CHUNK_CHARS) {
        insertLog(st, values);
        values.setLength(0);
      }
      values.append(values.length() == 0 ? "" : ", ").append("(now64(3, 'UTC'), ").append(SqlLiteral.string(p))
          .append(", ").append(SqlLiteral.string(silo)).append(", ").append(keys).append(')');
    }
    if (values.length() > 0) {
      insertLog(st, values);
    }
  }

  private static void insertLog(Statement st, StringBuilder values) throws SQLException {
    st.execute("INSERT INTO silo_attributions (attributed_at, person_id, silo, keys) VALUES " + values);
  }
}
