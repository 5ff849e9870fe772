package dev.lode.warehouse.cluster;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The cluster form of Lode's migrations ({@code lode.warehouse.cluster=NAME}): each statement of
 * a migration file rendered for cluster {@code name} — DDL runs {@code ON CLUSTER}, a sharded
 * table becomes a {@code Replicated*MergeTree} {@code <table>_local} on every node plus a
 * {@code Distributed} table under the name queries use, a table placed everywhere becomes one
 * {@code Replicated*MergeTree} whose Keeper path every node shares. The files are the same; only
 * this rendering differs, so the single-node and cluster schemas cannot drift apart.
 *
 * @param name     the cluster as the servers' {@code remote_servers} names it
 * @param database Lode's database
 * @param keeperTemplate the Keeper path under which the tables' replication state lives, with
 *                       {@code {database}} standing for Lode's database
 */
public record ClusterLayout(String name, String database, String keeperTemplate) {
  private static final Pattern IDENT = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
  private static final Pattern CREATE_TABLE = Pattern.compile(
      "(?s)CREATE\\s+TABLE\\s+IF\\s+NOT\\s+EXISTS\\s+(?:`?([A-Za-z0-9_]+)`?\\.)?`?([A-Za-z_][A-Za-z0-9_]*)`?\\s*(\\(.*)");
  private static final Pattern ENGINE = Pattern.compile("ENGINE\\s*=\\s*([A-Za-z]*MergeTree)(?:\\(([^()]*)\\))?");
  private static final Pattern VIEW = Pattern.compile(
      "(?s)(CREATE\\s+(?:OR\\s+REPLACE\\s+)?VIEW\\s+(?:IF\\s+NOT\\s+EXISTS\\s+)?[A-Za-z_][A-Za-z0-9_]*)(\\s+AS\\s.*)");
  private static final Pattern RENAME = Pattern.compile(
      "RENAME\\s+TABLE\\s+([A-Za-z_][A-Za-z0-9_]*)\\s+TO\\s+([A-Za-z_][A-Za-z0-9_]*)");
  private static final Pattern ALTER = Pattern.compile("(?s)ALTER\\s+TABLE\\s+([A-Za-z_][A-Za-z0-9_]*)\\s+(.*)");
  private static final Pattern INSERT = Pattern.compile("(?s)INSERT\\s+INTO\\s+([A-Za-z_][A-Za-z0-9_]*)\\b.*");

  public ClusterLayout {
    for (String s : List.of(name, database)) {
      if (!IDENT.matcher(s).matches()) {
        throw new IllegalArgumentException("lode.warehouse.cluster and lode.warehouse.database must be plain"
            + " identifiers, got '" + s + "'");
      }
    }
    if (!keeperTemplate.matches("/[A-Za-z0-9_{}/.-]*[^/]") || !keeperTemplate.contains("{database}")) {
      throw new IllegalArgumentException("lode.warehouse.cluster.keeper-path must be an absolute Keeper path"
          + " containing {database} and no trailing slash, got '" + keeperTemplate + "'");
    }
  }

  /** The default Keeper root; {@code {database}} stands for Lode's database. */
  public static final String DEFAULT_KEEPER_ROOT = "/clickhouse/tables/lode/{database}";

  /** The same cluster for another database (tests keep suites apart that way). */
  public ClusterLayout inDatabase(String other) {
    return new ClusterLayout(name, other, keeperTemplate);
  }

  /** The Keeper root of this database's tables. */
  public String keeperRoot() {
    return keeperTemplate.replace("{database}", database);
  }

  /** The suffix of a sharded table's per-node twin. */
  public static final String LOCAL = "_local";

  /** {@code CREATE DATABASE} on every node. */
  public String createDatabase() {
    return "CREATE DATABASE IF NOT EXISTS `" + database + "` ON CLUSTER `" + name + "`";
  }

  /**
   * The target of a mutation, {@code TRUNCATE} or {@code OPTIMIZE} of {@code table}: the local
   * twin on every node for a sharded table (a Distributed table has no parts to change), the
   * table itself on every node otherwise.
   */
  public String alterTarget(String table) {
    boolean sharded = ClusterTables.of(table).map(Placement::isSharded).orElse(false);
    return "`" + table + (sharded ? LOCAL : "") + "` ON CLUSTER `" + name + "`";
  }

  /** The Keeper path of a sharded table's replicas (one per shard) or of a table on every node (one in all). */
  public String keeperPath(String table, Placement p) {
    return p.isSharded() ? keeperRoot() + "/{shard}/" + table + LOCAL : keeperRoot() + "/all/" + table;
  }

  /** The replica name: unique within a shard for sharded tables, unique in the whole cluster for the others. */
  public static String replicaName(Placement p) {
    return p.isSharded() ? "{replica}" : "{shard}-{replica}";
  }

  /** The cluster form of one migration statement (one or two statements). */
  public List<String> render(String statement) {
    String s = statement.strip();
    Matcher m = CREATE_TABLE.matcher(s);
    if (m.matches()) {
      return createTable(m.group(2), m.group(3));
    }
    m = VIEW.matcher(s);
    if (m.matches()) {
      return List.of(m.group(1) + " ON CLUSTER `" + name + "`" + m.group(2));
    }
    m = RENAME.matcher(s);
    if (m.matches()) {
      if (ClusterTables.of(m.group(1)).isPresent()) {
        throw new IllegalStateException("renaming table " + m.group(1) + " has no cluster form here; rename views only");
      }
      return List.of("RENAME TABLE " + m.group(1) + " TO " + m.group(2) + " ON CLUSTER `" + name + "`");
    }
    m = ALTER.matcher(s);
    if (m.matches()) {
      placement(m.group(1));
      return List.of("ALTER TABLE " + alterTarget(m.group(1)) + " " + m.group(2));
    }
    m = INSERT.matcher(s);
    if (m.matches()) {
      placement(m.group(1));
      return List.of(s); // a Distributed table routes the rows; a replicated one copies them to every node
    }
    throw new IllegalStateException("no cluster form for migration statement: "
        + s.substring(0, Math.min(80, s.length())) + "…");
  }

  private Placement placement(String table) {
    return ClusterTables.of(table).orElseThrow(() -> new IllegalStateException("table " + table
        + " has no cluster placement: add it to ClusterTables (sharded by a key of its sort key, or everywhere)"));
  }

  private List<String> createTable(String table, String rest) {
    Placement p = placement(table);
    Matcher e = ENGINE.matcher(rest);
    if (!e.find()) {
      throw new IllegalStateException("table " + table + ": no *MergeTree engine to replicate");
    }
    String args = e.group(2) == null || e.group(2).isBlank() ? "" : ", " + e.group(2).strip();
    String engine = "ENGINE = Replicated" + e.group(1) + "('" + keeperPath(table, p) + "', '" + replicaName(p) + "'"
        + args + ")";
    String body = rest.substring(0, e.start()) + engine + rest.substring(e.end());
    String onCluster = " ON CLUSTER `" + name + "` ";
    if (!p.isSharded()) {
      return List.of("CREATE TABLE IF NOT EXISTS " + table + onCluster + body);
    }
    List<String> out = new ArrayList<>();
    out.add("CREATE TABLE IF NOT EXISTS " + table + LOCAL + onCluster + body);
    out.add("CREATE TABLE IF NOT EXISTS " + table + onCluster + "AS " + table + LOCAL
        + " ENGINE = Distributed(`" + name + "`, `" + database + "`, " + table + LOCAL + ", " + p.shardingKey() + ")");
    return out;
  }
}
