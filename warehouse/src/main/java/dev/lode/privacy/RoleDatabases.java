package dev.lode.privacy;

import dev.lode.warehouse.SqlLiteral;
import dev.lode.warehouse.Warehouse;
import dev.lode.warehouse.cluster.ClusterLayout;
import dev.lode.warehouse.cluster.ClusterTables;
import dev.lode.warehouse.cluster.Placement;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The ClickHouse databases non-admin SQL users are confined to, rebuilt from the warehouse's
 * own catalog at every start: {@code <db>_analyst} holds one view per table and view of
 * {@code <db>} whose PII columns ({@link PiiColumns}) are already masked, so no query over
 * it can reach a raw value; {@code <db>_viewer} holds the same masked views for the aggregate
 * relations viewers may read; {@code <db>_audit} shows admins the audit tables as
 * {@code queries} and {@code erasures}. The salt lives only in the view definitions.
 */
public final class RoleDatabases {
  private static final Logger LOG = LoggerFactory.getLogger(RoleDatabases.class);
  /** Tables no analyst or viewer sees in any form. */
  static final Set<String> ADMIN_ONLY = Set.of("audit_queries", "erasures", "suppressed_ids", "erasure_scratch",
      "schema_migrations", "identity_lookup");
  /** Staging tables a profile or tag refresh creates and drops within one run. */
  private static final java.util.regex.Pattern TRANSIENT =
      java.util.regex.Pattern.compile(".+_(stage|changed|changed_ids)_[0-9a-f]{32}");

  private final Warehouse warehouse;
  private final PrivacySettings settings;
  private final Pseudonym pseudonym;
  private final PiiColumns pii;

  public RoleDatabases(Warehouse warehouse, PrivacySettings settings) {
    this.warehouse = warehouse;
    this.settings = settings;
    this.pseudonym = new Pseudonym(settings.salt());
    this.pii = settings.piiColumns();
  }

  /** The database analysts' SQL runs in. */
  public String analystDatabase() {
    return warehouse.database() + "_analyst";
  }

  /** The database viewers' SQL runs in. */
  public String viewerDatabase() {
    return warehouse.database() + "_viewer";
  }

  /** The database of the admins' {@code audit} schema. */
  public String auditDatabase() {
    return warehouse.database() + "_audit";
  }

  /** One column of a warehouse relation. */
  record Column(String name, String type, String comment) {
  }

  /** (Re)creates the three databases from the current catalog; returns the relations each holds. */
  public Map<String, Set<String>> refresh() {
    Map<String, List<Column>> relations = catalog();
    Map<String, Set<String>> out = new LinkedHashMap<>();
    try (Connection c = warehouse.connect(); Statement st = c.createStatement()) {
      Map<String, String> analyst = new LinkedHashMap<>();
      Map<String, String> viewer = new LinkedHashMap<>();
      for (Map.Entry<String, List<Column>> r : relations.entrySet()) {
        String name = r.getKey();
        if (ADMIN_ONLY.contains(name) || name.startsWith(".") || TRANSIENT.matcher(name).matches() || shardPart(name)) {
          continue;
        }
        String select = maskedSelect(name, r.getValue());
        analyst.put(name, select);
        if (settings.viewerMayRead(name)) {
          viewer.put(name, select);
        }
      }
      String onCluster = warehouse.cluster().map(l -> " ON CLUSTER " + quote(l.name())).orElse("");
      out.put(analystDatabase(), replace(st, analystDatabase(), analyst, onCluster));
      out.put(viewerDatabase(), replace(st, viewerDatabase(), viewer, onCluster));
      Map<String, String> audit = new LinkedHashMap<>();
      audit.put("queries", "SELECT * FROM " + quote(warehouse.database()) + ".audit_queries");
      audit.put("erasures", "SELECT * FROM " + quote(warehouse.database()) + ".erasures");
      out.put(auditDatabase(), replace(st, auditDatabase(), audit, onCluster));
    } catch (SQLException e) {
      throw new IllegalStateException("cannot build the analyst and viewer databases: " + e.getMessage(), e);
    }
    return out;
  }

  /** {@code SELECT <columns, PII masked> FROM <db>.<relation>}. */
  String maskedSelect(String relation, List<Column> columns) {
    List<String> exprs = new ArrayList<>();
    for (Column col : columns) {
      String q = quote(col.name());
      exprs.add(pii.mask(relation, col.name(), col.type(), col.comment())
          .map(m -> pii.expression(m, q, col.type(), pseudonym) + " AS " + q).orElse(q));
    }
    return "SELECT " + String.join(", ", exprs) + " FROM " + quote(warehouse.database()) + "." + quote(relation);
  }

  /**
   * Whether {@code name} is the per-node part of a sharded table on a cluster ({@code events_local}
   * under {@code events}): it holds one shard's rows, so analysts and viewers read the Distributed
   * table under the plain name only.
   */
  private boolean shardPart(String name) {
    return warehouse.cluster().isPresent() && name.endsWith(ClusterLayout.LOCAL)
        && ClusterTables.of(name.substring(0, name.length() - ClusterLayout.LOCAL.length()))
            .map(Placement::isSharded).orElse(false);
  }

  /**
   * Makes {@code db} hold exactly {@code views}; a view that cannot be created is left out (and
   * logged). {@code onCluster} is empty on one server, else the clause that makes every node hold them.
   */
  private static Set<String> replace(Statement st, String db, Map<String, String> views, String onCluster)
      throws SQLException {
    st.execute("CREATE DATABASE IF NOT EXISTS " + quote(db) + onCluster);
    Set<String> existing = new LinkedHashSet<>();
    try (ResultSet rs = st.executeQuery("SELECT name FROM system.tables WHERE database = '" + db + "'")) {
      while (rs.next()) {
        existing.add(rs.getString(1));
      }
    }
    Set<String> made = new LinkedHashSet<>();
    for (Map.Entry<String, String> v : views.entrySet()) {
      try {
        st.execute("CREATE OR REPLACE VIEW " + quote(db) + "." + quote(v.getKey()) + onCluster + " AS " + v.getValue());
        made.add(v.getKey());
      } catch (SQLException e) {
        // e.g. a parameterized view, which cannot be selected from without its parameters
        LOG.info("{}.{} not exposed: {}", db, v.getKey(), firstLine(e.getMessage()));
      }
    }
    for (String stale : existing) {
      if (!made.contains(stale)) {
        st.execute("DROP TABLE IF EXISTS " + quote(db) + "." + quote(stale) + onCluster);
      }
    }
    return made;
  }

  private Map<String, List<Column>> catalog() {
    Map<String, List<Column>> out = new LinkedHashMap<>();
    try (Connection c = warehouse.connect();
         PreparedStatement ps = c.prepareStatement("SELECT table, name, type, comment FROM system.columns"
             + " WHERE database = ? ORDER BY table, position")) {
      ps.setString(1, warehouse.database());
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.computeIfAbsent(rs.getString(1), k -> new ArrayList<>())
              .add(new Column(rs.getString(2), rs.getString(3), rs.getString(4)));
        }
      }
    } catch (SQLException e) {
      throw new IllegalStateException("cannot read the warehouse catalog: " + e.getMessage(), e);
    }
    return out;
  }

  static String quote(String identifier) {
    return SqlLiteral.identifier(identifier);
  }

  private static String firstLine(String s) {
    int nl = s == null ? -1 : s.indexOf('\n');
    return nl < 0 ? String.valueOf(s) : s.substring(0, nl);
  }
}
