package dev.lode.tags;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lode.warehouse.SqlLiteral;
import dev.lode.warehouse.Warehouse;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Records tag definitions in {@code tag_definitions}: checks each against the
 * {@link SensitivityPolicy} and the output contract (by asking the engine for the
 * columns its SELECT returns), refuses a changed definition that kept its version, and
 * retires ids whose files are gone. Model metrics are stored with the version here.
 */
public final class TagRegistry {
  private static final ObjectMapper JSON = new ObjectMapper();
  /** Columns a rule or computed tag's SELECT must return. */
  static final List<String> VALUE_COLUMNS = List.of("person_id", "value", "score", "counts", "examples");

  /** The metrics key naming the admin who retired a tag's version. */
  static final String RETIRED_BY = "retired_by";

  private final Warehouse warehouse;

  public TagRegistry(Warehouse warehouse) {
    this.warehouse = warehouse;
  }

  /** Registers every definition of the catalog and retires the active ids it no longer has. */
  public void sync(TagCatalog catalog) throws SQLException {
    Set<String> ids = new HashSet<>();
    for (TagDefinition d : catalog.definitions()) {
      register(d);
      ids.add(d.id());
    }
    try (Connection c = warehouse.connect(); Statement st = c.createStatement()) {
      Set<String> active = new HashSet<>();
      try (ResultSet rs = st.executeQuery("SELECT tag_id FROM tag_definitions FINAL GROUP BY tag_id"
          + " HAVING argMax(status, version) = 'active'")) {
        while (rs.next()) {
          active.add(rs.getString(1));
        }
      }
      active.removeAll(ids);
      for (String gone : active) {
        st.execute("INSERT INTO tag_definitions SELECT tag_id, version, name, description, owner, category, sensitivity,"
            + " kind, refresh, ttl_days, sql, metrics, now64(3), 'retired' FROM tag_definitions FINAL"
            + " WHERE tag_id = " + SqlLiteral.string(gone) + " ORDER BY version DESC LIMIT 1");
      }
    }
  }

  /**
   * Checks and records one definition; a no-op when this version is already recorded
   * with the same content.
   *
   * @throws SensitiveTagException when the policy refuses it
   * @throws TagDefinitionException when its SELECT does not return the contract's columns, or it changed without a new version
   */
  public void register(TagDefinition d) throws SQLException {
    SensitivityPolicy.check(d);
    try (Connection c = warehouse.connect(); Statement st = c.createStatement()) {
      checkColumns(st, d);
      String stored = null;
      String status = null;
      String retiredBy = "";
      try (ResultSet rs = st.executeQuery("SELECT metrics['definition_sha256'], status, metrics['" + RETIRED_BY
          + "'] FROM tag_definitions FINAL WHERE tag_id = " + SqlLiteral.string(d.id()) + " AND version = " + d.version())) {
        if (rs.next()) {
          stored = rs.getString(1);
          status = rs.getString(2);
          retiredBy = rs.getString(3);
        }
      }
      if (stored != null && !stored.equals(d.checksum())) {
        throw new TagDefinitionException(d.source() + ": tag " + d.id() + " version " + d.version() + " is already"
            + " registered with a different definition; raise its version to change it");
      }
      if (stored != null && ("active".equals(status) || retiredBy != null && !retiredBy.isEmpty())) {
        return; // registered already, or retired by an admin: that version stays retired until enabled
      }
      Map<String, String> metrics = new LinkedHashMap<>();
      metrics.put("definition_sha256", d.checksum());
      write(st, d, metrics);
    }
  }

  /**
   * Retires tag {@code id} on an admin's word: its newest version is recorded as retired with who
   * retired it, so {@code person_tags} stops showing its values and refreshes skip it, and the
   * catalog sync does not make that version active again (a new version of the file does).
   */
  public void retire(String id, String by) throws SQLException {
    setStatus(id, "retired", "mapUpdate(metrics, map('" + RETIRED_BY + "', " + SqlLiteral.string(by) + "))");
  }

  /** Makes tag {@code id}'s newest version active again after {@link #retire}. */
  public void enable(String id) throws SQLException {
    setStatus(id, "active", "mapFilter((k, v) -> k != '" + RETIRED_BY + "', metrics)");
  }

  /** The tags an admin retired (their newest version is retired with a {@code retired_by}). */
  public Set<String> retiredByAdmin() throws SQLException {
    Set<String> out = new HashSet<>();
    try (Connection c = warehouse.connect(); Statement st = c.createStatement();
         ResultSet rs = st.executeQuery("SELECT tag_id FROM tag_definitions FINAL GROUP BY tag_id HAVING"
             + " argMax(status, version) = 'retired' AND argMax(metrics['" + RETIRED_BY + "'], version) != ''")) {
      while (rs.next()) {
        out.add(rs.getString(1));
      }
    }
    return out;
  }

  private void setStatus(String id, String status, String metrics) throws SQLException {
    try (Connection c = warehouse.connect(); Statement st = c.createStatement()) {
      try (ResultSet rs = st.executeQuery("SELECT count() FROM tag_definitions WHERE tag_id = " + SqlLiteral.string(id))) {
        rs.next();
        if (rs.getLong(1) == 0) {
          throw new IllegalArgumentException("no tag '" + id + "' is registered");
        }
      }
      st.execute("INSERT INTO tag_definitions SELECT tag_id, version, name, description, owner, category, sensitivity,"
          + " kind, refresh, ttl_days, sql, " + metrics + ", now64(3), '" + status + "' FROM tag_definitions FINAL"
          + " WHERE tag_id = " + SqlLiteral.string(id) + " ORDER BY version DESC LIMIT 1");
    }
  }

  /** Stores metrics (e.g. a model's held-out AUC) with the definition's version, keeping its other metrics. */
  public void storeMetrics(TagDefinition d, Map<String, String> metrics) throws SQLException {
    try (Connection c = warehouse.connect(); Statement st = c.createStatement()) {
      Map<String, String> all = new LinkedHashMap<>(current(st, d));
      all.putAll(metrics);
      all.put("definition_sha256", d.checksum());
      write(st, d, all);
    }
  }

  /** The metrics stored with this definition's version. */
  public Map<String, String> metrics(TagDefinition d) throws SQLException {
    try (Connection c = warehouse.connect(); Statement st = c.createStatement()) {
      return current(st, d);
    }
  }

  private static Map<String, String> current(Statement st, TagDefinition d) throws SQLException {
    Map<String, String> out = new HashMap<>();
    try (ResultSet rs = st.executeQuery("SELECT toJSONString(metrics) FROM tag_definitions FINAL WHERE tag_id = "
        + SqlLiteral.string(d.id()) + " AND version = " + d.version())) {
      if (rs.next()) {
        try {
          JSON.readTree(rs.getString(1)).properties().forEach(e -> out.put(e.getKey(), e.getValue().asText()));
        } catch (JsonProcessingException e) {
          throw new IllegalStateException("unreadable metrics of tag " + d.id(), e);
        }
      }
    }
    return out;
  }

  private static void write(Statement st, TagDefinition d, Map<String, String> metrics) throws SQLException {
    String json;
    try {
      json = JSON.writeValueAsString(metrics);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
    st.execute("INSERT INTO tag_definitions (tag_id, version, name, description, owner, category, sensitivity, kind,"
        + " refresh, ttl_days, sql, metrics, created_at, status) SELECT "
        + String.join(", ", SqlLiteral.string(d.id()), Integer.toString(d.version()), SqlLiteral.string(d.name()),
            SqlLiteral.string(d.description()), SqlLiteral.string(d.owner()), SqlLiteral.string(d.category()),
            SqlLiteral.string(d.sensitivity()), SqlLiteral.string(d.kind().label()), SqlLiteral.string(d.refreshText()),
            Integer.toString(d.ttlDays()), SqlLiteral.string(d.sql()),
            "JSONExtract(" + SqlLiteral.string(json) + ", 'Map(String, String)')", SqlLiteral.timestamp(Instant.now()),
            "'active'"));
  }

  // Asks the engine for the SELECT's result columns, so a broken definition fails at
  // registration with the engine's message rather than at its first refresh.
  private static void checkColumns(Statement st, TagDefinition d) {
    Set<String> cols = new HashSet<>();
    try (ResultSet rs = st.executeQuery("DESCRIBE TABLE (" + d.render(Instant.now()) + ")")) {
      while (rs.next()) {
        cols.add(rs.getString(1));
      }
    } catch (SQLException e) {
      throw new TagDefinitionException(d.source() + ": the SELECT of tag " + d.id() + " does not run: " + e.getMessage(), e);
    }
    if (d.kind() == TagKind.MODEL) {
      if (!cols.contains("person_id") || !cols.contains("label") || cols.stream().noneMatch(x -> x.startsWith("f_"))) {
        throw new TagDefinitionException(d.source() + ": a model tag's SELECT must return person_id, label and"
            + " feature columns named f_*; it returns " + cols);
      }
      return;
    }
    for (String need : VALUE_COLUMNS) {
      if (!cols.contains(need)) {
        throw new TagDefinitionException(d.source() + ": the SELECT of tag " + d.id() + " must return columns "
            + VALUE_COLUMNS + "; '" + need + "' is missing (it returns " + cols + ")");
      }
    }
  }
}
