package dev.lode.erasure;

import dev.lode.hash.Sha256;
import dev.lode.warehouse.SqlLiteral;

import dev.lode.privacy.SuppressionList;


import dev.lode.privacy.Pseudonym;

import dev.lode.privacy.PrivacySettings;

import dev.lode.privacy.ErasureSubject;

import dev.lode.privacy.ErasureStore;
import dev.lode.privacy.IdVariants;

import dev.lode.warehouse.IdentifierHygiene;
import dev.lode.warehouse.Warehouse;
import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Forgets a person, given any one of their ids: finds the person (or persons merged into
 * one) and every linked id across all tables, empties the {@link ErasureStore}s, deletes
 * every matching row from every table of the warehouse with synchronous mutations, checks
 * that none remains, adds the ids to the suppression list if configured, and records the
 * erasure in {@code erasures} without PII. Tables are found in the catalog and matched by
 * column name, so tables added by other modules are covered without being listed.
 */
public final class Erasure {
  private static final Logger LOG = LoggerFactory.getLogger(Erasure.class);
  /** What an erased id is replaced with in the audit log's texts. */
  static final String SCRUBBED = "[erased]";
  /** The audit log's entry in an erasure's report: statement texts scrubbed (the rows stay, as the audit trail). */
  static final String AUDIT_TEXTS = "audit_queries (texts scrubbed)";

  /** No person, identity or row holds the id given: nothing was erased. */
  public static final class NobodyMatches extends IllegalArgumentException {
    NobodyMatches(String message) {
      super(message);
    }
  }
  /** Columns holding a Lode person id. */
  static final Set<String> PERSON_COLUMNS = Set.of("person_id", "from_person_id", "into_person_id", "person_a",
      "person_b", "ingest_person_id");
  /** Columns holding one id of a person (raw external ids, emails, phones and their hashes). */
  static final Set<String> ID_COLUMNS = Set.of("distinct_id", "anonymous_id", "user_id", "id_value", "other_value",
      "link_id_value", "other_id_value", "customer_key", "customer_no", "requester", "recipient", "contact_id",
      "email", "phone", "email_sha256", "phone_sha256");
  /** Free-text columns searched for any of the ids as a whole token. */
  static final Set<String> TEXT_COLUMNS = Set.of("raw_payload", "detail", "evidence");
  /** Tables an erasure never deletes from: its own bookkeeping and the audit trail. */
  static final Set<String> KEPT = Set.of("erasures", "suppressed_ids", "erasure_scratch", "schema_migrations",
      "audit_queries");

  private final Warehouse warehouse;
  private final PrivacySettings settings;
  private final List<ErasureStore> stores;
  private final Pseudonym pseudonym;
  private final IdVariants variants;
  private final int maxPersons;

  /**
   * @param maxPersons an id linking more persons than this is refused (a shared or garbage id
   *                   would otherwise erase many people)
   */
  public Erasure(Warehouse warehouse, PrivacySettings settings, List<ErasureStore> stores, int maxPersons) {
    this.warehouse = warehouse;
    this.settings = settings;
    this.stores = List.copyOf(stores);
    this.pseudonym = new Pseudonym(settings.salt());
    this.variants = new IdVariants(settings.ingestSalt());
    this.maxPersons = maxPersons;
  }

  /** What one erasure did. */
  public record Report(String erasureId, String subjectHash, int persons, int ids, Map<String, Long> deleted,
                       Map<String, Long> remaining, boolean suppressed, String status) {
    /** True when nothing of the person remains. */
    public boolean complete() {
      return remaining.values().stream().allMatch(v -> v == 0);
    }
  }

  /** What an erasure would delete: the persons and ids it found, and the matching rows per table (no PII). */
  public record Preview(int persons, int ids, Map<String, Long> rows) {
  }

  /** A table and the columns an erasure matches in it. */
  record Target(String table, List<String> personColumns, List<String> idColumns, List<String> textColumns) {
  }

  /** Forgets the person {@code anyId} belongs to; {@code requestedBy} names the admin (or cli). */
  public Report forget(String anyId, String requestedBy) {
    String id = anyId == null ? "" : anyId.strip();
    if (!IdentifierHygiene.isUsable(id)) {
      throw new IllegalArgumentException("'" + (anyId == null ? "" : anyId) + "' is not an id of anyone: give a"
          + " person id, user id, anonymous id, email, phone or customer number");
    }
    synchronized (Erasure.class) {
      try {
        return run(id, requestedBy);
      } catch (SQLException e) {
        throw new IllegalStateException("erasure failed: " + e.getMessage(), e);
      }
    }
  }

  /**
   * What {@link #forget} would erase for {@code anyId}: the same search, counted, and nothing
   * deleted, suppressed or recorded (only the search's scratch rows are written, and removed).
   */
  public Preview preview(String anyId) {
    String id = anyId == null ? "" : anyId.strip();
    if (!IdentifierHygiene.isUsable(id)) {
      throw new IllegalArgumentException("'" + (anyId == null ? "" : anyId) + "' is not an id of anyone: give a"
          + " person id, user id, anonymous id, email, phone or customer number");
    }
    synchronized (Erasure.class) {
      String erasureId = UUID.randomUUID().toString();
      Properties sync = new Properties();
      sync.setProperty("clickhouse_setting_mutations_sync", "2");
      try (Connection c = warehouse.connect(sync)) {
        List<Target> targets = targets();
        ErasureSubject subject = resolve(c, targets, erasureId, id);
        Map<String, Long> rows = new TreeMap<>();
        for (Target t : targets) {
          long n = count(c, t.table(), predicate(t, erasureId));
          if (n > 0) {
            rows.put(t.table(), n);
          }
        }
        try (Statement st = c.createStatement()) {
          st.execute("ALTER TABLE " + warehouse.mutationTarget("erasure_scratch") + " DELETE WHERE erasure_id = '" + erasureId + "'");
        }
        return new Preview(subject.personIds().size(), subject.ids().size(), rows);
      } catch (SQLException e) {
        throw new IllegalStateException("erasure preview failed: " + e.getMessage(), e);
      }
    }
  }

  private Report run(String id, String requestedBy) throws SQLException {
    String erasureId = UUID.randomUUID().toString();
    Instant started = Instant.now();
    List<Target> targets = targets();
    Properties sync = new Properties();
    // every mutation completes before the statement returns, so the check right after sees the result
    sync.setProperty("clickhouse_setting_mutations_sync", "2");
    try (Connection c = warehouse.connect(sync)) {
      ErasureSubject subject = resolve(c, targets, erasureId, id);
      if (subject.personIds().isEmpty() && !holdsAny(c, targets, erasureId)) {
        try (Statement st = c.createStatement()) {
          st.execute("ALTER TABLE " + warehouse.mutationTarget("erasure_scratch") + " DELETE WHERE erasure_id = '" + erasureId + "'");
        }
        throw new NobodyMatches("nobody matches '" + id + "': no person, identity or row holds it (nor its normalized"
            + " form, its email or phone hashes, or the collector's ingest hash of it); nothing was erased");
      }
      // suppress first: events arriving while the erasure runs must not slip back in behind it
      boolean suppressed = settings.suppressForgotten() && !subject.all().isEmpty();
      if (suppressed) {
        suppress(c, erasureId, subject);
      }
      Map<String, Long> deleted = new TreeMap<>();
      List<String> errors = new ArrayList<>();
      for (ErasureStore s : stores) {
        try {
          deleted.put(s.name(), s.erase(subject));
        } catch (IOException | RuntimeException e) {
          errors.add(s.name() + ": " + e.getMessage());
        }
      }
      Map<String, Long> remaining = new TreeMap<>();
      for (Target t : targets) {
        String where = predicate(t, erasureId);
        long before = count(c, t.table(), where);
        if (before > 0) {
          try (Statement st = c.createStatement()) {
            st.execute("ALTER TABLE " + warehouse.mutationTarget(t.table()) + " DELETE WHERE " + where);
          }
        }
        deleted.put(t.table(), before);
        remaining.put(t.table(), count(c, t.table(), where));
      }
      long[] scrubbed = scrubAudit(c, subject);
      deleted.put(AUDIT_TEXTS, scrubbed[0]);
      remaining.put(AUDIT_TEXTS, scrubbed[1]);
      try (Statement st = c.createStatement()) {
        st.execute("ALTER TABLE " + warehouse.mutationTarget("erasure_scratch") + " DELETE WHERE erasure_id = '" + erasureId + "'");
      }
      boolean complete = remaining.values().stream().allMatch(v -> v == 0) && errors.isEmpty();
      Report r = new Report(erasureId, pseudonym.of(id), subject.personIds().size(), subject.ids().size(),
          deleted, remaining, suppressed, complete ? "completed" : "incomplete");
      record(c, r, started, requestedBy, String.join("; ", errors));
      LOG.info("erasure {}: {} persons, {} ids, {}", erasureId, r.persons(), r.ids(), r.status());
      return r;
    }
  }

  /** The seed ids for a given value: itself and every form it is stored in ({@link IdVariants}). */
  Set<String> seeds(String id) {
    Set<String> out = new LinkedHashSet<>();
    for (String v : variants.of(id)) {
      if (IdentifierHygiene.isUsable(v)) {
        out.add(v);
      }
    }
    return out;
  }

  /** Whether any row of any target matches the ids staged so far. */
  private static boolean holdsAny(Connection c, List<Target> targets, String erasureId) throws SQLException {
    for (Target t : targets) {
      if (count(c, t.table(), predicate(t, erasureId)) > 0) {
        return true;
      }
    }
    return false;
  }

  /**
   * Replaces every id of the subject in the SQL audit log's statement texts and errors (an
   * admin's {@code WHERE email = '…'} would otherwise keep naming the person) with {@link #SCRUBBED};
   * returns the rows changed and those still naming an id afterwards.
   */
  private long[] scrubAudit(Connection c, ErasureSubject subject) throws SQLException {
    List<String> ids = subject.all().stream().filter(v -> v.length() >= 3).sorted((a, b) -> b.length() - a.length())
        .toList();
    if (ids.isEmpty()) {
      return new long[] {0, 0};
    }
    String array = ids.stream().map(v -> SqlLiteral.string(v.toLowerCase(Locale.ROOT)))
        .collect(java.util.stream.Collectors.joining(", ", "[", "]"));
    String mentions = "(arrayExists(v -> positionCaseInsensitiveUTF8(statement, v) > 0, " + array + ")"
        + " OR arrayExists(v -> positionCaseInsensitiveUTF8(error, v) > 0, " + array + "))";
    String scrub = "arrayFold((acc, v) -> replaceRegexpAll(acc, concat('(?i)', regexpQuoteMeta(v)), '" + SCRUBBED
        + "'), " + array + ", %s)";
    long before = count(c, "audit_queries", mentions);
    if (before > 0) {
      try (Statement st = c.createStatement()) {
        st.execute("ALTER TABLE " + warehouse.mutationTarget("audit_queries") + " UPDATE statement = " + String.format(scrub, "statement") + ", error = "
            + String.format(scrub, "error") + " WHERE " + mentions);
      }
    }
    return new long[] {before, count(c, "audit_queries", mentions)};
  }

  /** Follows links between persons and ids until closed: ids name persons, persons own ids. */
  private ErasureSubject resolve(Connection c, List<Target> targets, String erasureId, String id) throws SQLException {
    Set<String> persons = new LinkedHashSet<>();
    Set<String> ids = new LinkedHashSet<>(seeds(id));
    stage(c, erasureId, "id", ids);
    for (int round = 0; round < 8; round++) {
      Set<String> newPersons = new LinkedHashSet<>();
      Set<String> newIds = new LinkedHashSet<>();
      for (Target t : targets) {
        if (t.personColumns().isEmpty()) {
          continue;
        }
        // persons named by a known id (or whose person id was given)
        List<String> conds = new ArrayList<>();
        for (String col : t.idColumns()) {
          conds.add(SqlLiteral.identifier(col) + " IN " + scratch(erasureId, "id"));
        }
        for (String col : t.personColumns()) {
          conds.add(SqlLiteral.identifier(col) + " IN " + scratch(erasureId, "id"));
        }
        for (String pc : t.personColumns()) {
          collect(c, "SELECT DISTINCT toString(" + SqlLiteral.identifier(pc) + ") FROM " + SqlLiteral.identifier(t.table())
              + " WHERE " + String.join(" OR ", conds), persons, newPersons);
        }
      }
      stage(c, erasureId, "person", newPersons);
      persons.addAll(newPersons);
      if (persons.size() > maxPersons) {
        throw new IllegalArgumentException("the id links " + persons.size() + " persons (more than"
            + " lode.privacy.forget-max-persons=" + maxPersons + "); refusing to erase them all: give a more"
            + " specific id");
      }
      for (Target t : targets) {
        if (t.personColumns().isEmpty() || t.idColumns().isEmpty()) {
          continue;
        }
        List<String> conds = new ArrayList<>();
        for (String col : t.personColumns()) {
          conds.add(SqlLiteral.identifier(col) + " IN " + scratch(erasureId, "person"));
        }
        for (String ic : t.idColumns()) {
          collect(c, "SELECT DISTINCT toString(" + SqlLiteral.identifier(ic) + ") FROM " + SqlLiteral.identifier(t.table())
              + " WHERE " + String.join(" OR ", conds), ids, newIds);
        }
      }
      Set<String> hashed = new LinkedHashSet<>();
      for (String v : newIds) {
        // the hashed forms loaders and the collector store; not the lower-cased form of an id found
        // in a row (another person's id may differ from it only in case)
        Set<String> forms = seeds(v);
        if (!forms.isEmpty() && !IdVariants.normalized(v).equals(v)) {
          forms.remove(IdVariants.normalized(v));
        }
        hashed.addAll(forms);
      }
      hashed.removeAll(ids);
      newIds.addAll(hashed);
      stage(c, erasureId, "id", newIds);
      ids.addAll(newIds);
      if (newPersons.isEmpty() && newIds.isEmpty()) {
        break;
      }
    }
    return new ErasureSubject(persons, ids);
  }

  private static void collect(Connection c, String sql, Set<String> known, Set<String> into) throws SQLException {
    try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
      while (rs.next()) {
        String v = rs.getString(1);
        // an empty or garbage value would match every row that lacks the id: never follow it
        if (v != null && IdentifierHygiene.isUsable(v) && !known.contains(v)) {
          into.add(v);
        }
      }
    }
  }

  private static String scratch(String erasureId, String kind) {
    return "(SELECT value FROM erasure_scratch WHERE erasure_id = '" + erasureId + "' AND kind = '" + kind + "')";
  }

  private static void stage(Connection c, String erasureId, String kind, Set<String> values) throws SQLException {
    if (values.isEmpty()) {
      return;
    }
    try (PreparedStatement ps = c.prepareStatement("INSERT INTO erasure_scratch (erasure_id, kind, value)"
        + " VALUES (?, ?, ?)")) {
      for (String v : values) {
        ps.setString(1, erasureId);
        ps.setString(2, kind);
        ps.setString(3, v);
        ps.addBatch();
      }
      ps.executeBatch();
    }
  }

  /** The condition matching the subject's rows of {@code t}. */
  private static String predicate(Target t, String erasureId) {
    List<String> conds = new ArrayList<>();
    for (String col : t.personColumns()) {
      conds.add(SqlLiteral.identifier(col) + " IN " + scratch(erasureId, "person"));
    }
    for (String col : t.idColumns()) {
      conds.add(SqlLiteral.identifier(col) + " IN " + scratch(erasureId, "id"));
    }
    for (String col : t.textColumns()) {
      // the id as a whole token: not preceded or followed by a character ids are made of
      conds.add("arrayExists(v -> match(" + SqlLiteral.identifier(col) + ", concat('(^|[^A-Za-z0-9_@.+-])',"
          + " regexpQuoteMeta(v), '($|[^A-Za-z0-9_@.+-])')), (SELECT groupArray(value) FROM erasure_scratch"
          + " WHERE erasure_id = '" + erasureId + "'))");
    }
    return String.join(" OR ", conds);
  }

  private static long count(Connection c, String table, String where) throws SQLException {
    try (Statement st = c.createStatement();
         ResultSet rs = st.executeQuery("SELECT count() FROM " + SqlLiteral.identifier(table) + " WHERE " + where)) {
      rs.next();
      return rs.getLong(1);
    }
  }

  /** Every MergeTree-family table of the warehouse with at least one column an erasure matches. */
  private List<Target> targets() throws SQLException {
    Map<String, Target> out = new LinkedHashMap<>();
    try (Connection c = warehouse.connect();
         PreparedStatement ps = c.prepareStatement("SELECT c.table, c.name, c.type FROM system.columns c"
             + " INNER JOIN system.tables t ON t.database = c.database AND t.name = c.table"
             + " WHERE c.database = ? AND t.engine LIKE '%MergeTree' ORDER BY c.table, c.position")) {
      ps.setString(1, warehouse.database());
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          String table = rs.getString(1);
          String col = rs.getString(2);
          String type = rs.getString(3);
          if (KEPT.contains(table) || !type.contains("String") || type.startsWith("Array") || type.startsWith("Map")) {
            continue;
          }
          Target t = out.computeIfAbsent(table, k -> new Target(k, new ArrayList<>(), new ArrayList<>(),
              new ArrayList<>()));
          String n = col.toLowerCase(Locale.ROOT);
          if (PERSON_COLUMNS.contains(n)) {
            t.personColumns().add(col);
          } else if (ID_COLUMNS.contains(n)) {
            t.idColumns().add(col);
          } else if (TEXT_COLUMNS.contains(n)) {
            t.textColumns().add(col);
          }
        }
      }
    }
    out.values().removeIf(t -> t.personColumns().isEmpty() && t.idColumns().isEmpty() && t.textColumns().isEmpty());
    return new ArrayList<>(out.values());
  }

  private void suppress(Connection c, String erasureId, ErasureSubject subject) throws SQLException {
    // the normalized forms too: the same id re-sent in another case or with spaces is the same person
    Set<String> forms = new LinkedHashSet<>(subject.all());
    for (String v : subject.all()) {
      forms.add(IdVariants.normalized(v));
    }
    forms.removeIf(String::isEmpty);
    List<String> hashes = forms.stream().map(pseudonym::of).toList();
    try (PreparedStatement ps = c.prepareStatement("INSERT INTO suppressed_ids (id_hash, erasure_id, added_at)"
        + " VALUES (?, ?, ?)")) {
      Timestamp now = Timestamp.from(Instant.now());
      for (String h : hashes) {
        ps.setString(1, h);
        ps.setString(2, erasureId);
        ps.setTimestamp(3, now);
        ps.addBatch();
      }
      ps.executeBatch();
    }
    SuppressionList.of(warehouse, settings).addHashes(hashes);
  }

  private static void record(Connection c, Report r, Instant started, String requestedBy, String error)
      throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("INSERT INTO erasures (erasure_id, requested_at, finished_at,"
        + " requested_by, subject_hash, persons, ids, deleted, remaining, suppressed, status, error)"
        + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
      ps.setString(1, r.erasureId());
      ps.setTimestamp(2, Timestamp.from(started));
      ps.setTimestamp(3, Timestamp.from(Instant.now()));
      ps.setString(4, requestedBy);
      ps.setString(5, r.subjectHash());
      ps.setInt(6, r.persons());
      ps.setInt(7, r.ids());
      ps.setObject(8, r.deleted());
      ps.setObject(9, r.remaining());
      ps.setInt(10, r.suppressed() ? 1 : 0);
      ps.setString(11, r.status());
      ps.setString(12, error);
      ps.executeUpdate();
    }
  }

  static String sha256(String v) {
    return Sha256.hex(v);
  }
}
