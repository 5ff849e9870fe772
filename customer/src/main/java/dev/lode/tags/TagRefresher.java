package dev.lode.tags;

import dev.lode.warehouse.SqlLiteral;
import dev.lode.warehouse.Warehouse;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.UUID;

/**
 * Computes one tag inside the engine and publishes it to {@code tag_values}: the
 * definition's SELECT runs once into a staging table; matching persons who withheld the
 * definition's consent purpose are left out; every published value carries provenance
 * (definition version, computed_at, evidence JSON with counts and example event ids);
 * persons tagged before but not now — no longer matching, or consent withdrawn — get a
 * removal row that says why. A daily membership snapshot feeds {@code tag_quality}.
 */
public final class TagRefresher {
  /** What one refresh did. */
  public record Result(String tagId, int version, Instant computedAt, long tagged, long removed, long withheld,
                       long millis) {
  }

  private final Warehouse warehouse;
  private Instant lastComputedAt = Instant.EPOCH;

  public TagRefresher(Warehouse warehouse) {
    this.warehouse = warehouse;
  }

  /** Refreshes a rule or computed tag as of {@code asOf}. Model tags go through {@link ModelTag}. */
  public Result refresh(TagDefinition d, Instant asOf) throws SQLException {
    if (d.kind() == TagKind.MODEL) {
      throw new IllegalArgumentException("tag " + d.id() + " is a model tag; refresh it with ModelTag");
    }
    return publish(d, asOf, d.render(asOf));
  }

  /**
   * Publishes the rows of {@code select} (columns person_id, value, score, counts
   * Map(String, Float64), examples Array(String)) as the values of tag {@code d}.
   */
  Result publish(TagDefinition d, Instant asOf, String select) throws SQLException {
    SensitivityPolicy.check(d);
    Instant t = nextComputedAt();
    String runId = UUID.randomUUID().toString();
    String stage = "tag_stage_" + runId.replace("-", "");
    String tag = SqlLiteral.string(d.id());
    String at = SqlLiteral.timestamp(t);
    String expires = d.ttlDays() == 0 ? "NULL" : at + " + toIntervalDay(" + d.ttlDays() + ")";
    String withheld = "SELECT person_id FROM person_consents WHERE purpose = " + SqlLiteral.string(d.consentPurpose())
        + " AND granted = 0";
    long t0 = System.nanoTime();
    try (Connection c = warehouse.connect(); Statement st = c.createStatement()) {
      try {
        st.execute("CREATE TABLE " + stage + " ENGINE = MergeTree ORDER BY person_id AS"
            + " SELECT toString(person_id) AS person_id, toString(value) AS value, toFloat64(score) AS score,"
            + " concat('{\"tag\":', toJSONString(" + tag + "), ',\"version\":" + d.version() + ",\"as_of\":\"',"
            + " toString(" + SqlLiteral.timestamp(asOf) + "), '\",\"counts\":',"
            + " toJSONString(CAST(counts, 'Map(String, Float64)')), ',\"examples\":',"
            + " toJSONString(CAST(examples, 'Array(String)')), '}') AS evidence,"
            + " person_id IN (" + withheld + ") AS withheld"
            + " FROM (" + select + ") WHERE person_id != '' LIMIT 1 BY person_id");
        st.execute("INSERT INTO tag_values (tag_id, person_id, tag_version, value, score, computed_at, expires_at,"
            + " evidence, is_deleted) SELECT " + tag + ", person_id, " + d.version() + ", value, score, " + at + ", "
            + expires + ", evidence, 0 FROM " + stage + " WHERE withheld = 0");
        // whoever still shows an older value was not re-tagged now: record the removal and why
        st.execute("INSERT INTO tag_values (tag_id, person_id, tag_version, value, score, computed_at, expires_at,"
            + " evidence, is_deleted) SELECT tag_id, person_id, tag_version, value, score, " + at + ", expires_at,"
            + " concat('{\"removed\":\"', if(person_id IN (" + withheld + "), 'consent_withheld', 'no_longer_matches'),"
            + " '\",\"previous\":', evidence, '}'), 1"
            + " FROM tag_values FINAL WHERE tag_id = " + tag + " AND is_deleted = 0 AND computed_at < " + at);
        st.execute("INSERT INTO tag_membership_daily (tag_id, day, person_id, member, computed_at)"
            + " SELECT " + tag + ", toDate(" + at + "), person_id, 1, " + at + " FROM " + stage + " WHERE withheld = 0"
            + " UNION ALL SELECT tag_id, toDate(" + at + "), person_id, 0, " + at + " FROM tag_values FINAL"
            + " WHERE tag_id = " + tag + " AND is_deleted = 1 AND computed_at = " + at);
        long tagged;
        long held;
        long removed;
        try (ResultSet rs = st.executeQuery("SELECT countIf(withheld = 0), countIf(withheld = 1) FROM " + stage)) {
          rs.next();
          tagged = rs.getLong(1);
          held = rs.getLong(2);
        }
        try (ResultSet rs = st.executeQuery("SELECT count() FROM tag_values FINAL WHERE tag_id = " + tag
            + " AND is_deleted = 1 AND computed_at = " + at)) {
          rs.next();
          removed = rs.getLong(1);
        }
        Result r = new Result(d.id(), d.version(), t, tagged, removed, held, (System.nanoTime() - t0) / 1_000_000);
        record(c, runId, d, asOf, t, r, "ok", "");
        return r;
      } catch (SQLException | RuntimeException e) {
        record(c, runId, d, asOf, t, new Result(d.id(), d.version(), t, 0, 0, 0, 0), "failed", String.valueOf(e.getMessage()));
        throw e;
      } finally {
        st.execute("DROP TABLE IF EXISTS " + stage);
      }
    }
  }

  /**
   * Removes, across all tags, the values of persons who withheld profiling consent —
   * for tags not due for a refresh yet. Returns how many values were removed.
   */
  public long removeWithheld() throws SQLException {
    Instant t = nextComputedAt();
    String at = SqlLiteral.timestamp(t);
    try (Connection c = warehouse.connect(); Statement st = c.createStatement()) {
      st.execute("INSERT INTO tag_values (tag_id, person_id, tag_version, value, score, computed_at, expires_at,"
          + " evidence, is_deleted) SELECT tag_id, person_id, tag_version, value, score, " + at + ", expires_at,"
          + " concat('{\"removed\":\"consent_withheld\",\"previous\":', evidence, '}'), 1 FROM tag_values FINAL"
          + " WHERE is_deleted = 0 AND person_id IN (SELECT person_id FROM profiling_withheld)");
      try (ResultSet rs = st.executeQuery("SELECT count() FROM tag_values FINAL WHERE is_deleted = 1 AND computed_at = " + at)) {
        rs.next();
        return rs.getLong(1);
      }
    }
  }

  // computed_at orders versions of a tag value; two refreshes in one millisecond must not tie.
  private synchronized Instant nextComputedAt() {
    Instant now = Instant.now().truncatedTo(java.time.temporal.ChronoUnit.MILLIS);
    lastComputedAt = now.isAfter(lastComputedAt) ? now : lastComputedAt.plusMillis(1);
    return lastComputedAt;
  }

  private static void record(Connection c, String runId, TagDefinition d, Instant asOf, Instant started, Result r,
                             String status, String error) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("INSERT INTO refresh_runs (run_id, target, version, mode, as_of,"
        + " started_at, finished_at, rows_written, rows_removed, withheld, status, error)"
        + " VALUES (?, ?, ?, 'full', ?, ?, ?, ?, ?, ?, ?, ?)")) {
      ps.setString(1, runId);
      ps.setString(2, "tag:" + d.id());
      ps.setInt(3, d.version());
      ps.setTimestamp(4, Timestamp.from(asOf));
      ps.setTimestamp(5, Timestamp.from(started));
      ps.setTimestamp(6, Timestamp.from(Instant.now()));
      ps.setLong(7, r.tagged());
      ps.setLong(8, r.removed());
      ps.setLong(9, r.withheld());
      ps.setString(10, status);
      ps.setString(11, error);
      ps.executeUpdate();
    }
  }
}
