package dev.lode.warehouse.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.lode.config.LodeConfig;
import dev.lode.config.SecretFile;
import dev.lode.testing.TestWarehouse;
import dev.lode.warehouse.SchemaMigrator;
import dev.lode.warehouse.SqlLiteral;
import dev.lode.warehouse.SqlScript;
import dev.lode.warehouse.Warehouse;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The cluster form of the migrations, checked by the engine's own parser: every statement
 * {@link ClusterLayout} renders from the migration files parses, formats to a fixed point
 * (format(parse(x)) = format(parse(format(x)))), runs ON CLUSTER, replicates, and — for each
 * table — declares exactly the columns, indexes, sort key and TTL of the single-node table it
 * came from. Sharding keys are checked against the engine's own sort keys of the migrated tables,
 * so that ReplacingMergeTree deduplication keeps working shard by shard.
 */
class ClusterDdlTest {
  private static final ClusterLayout LAYOUT = new ClusterLayout("lode_cluster", "lode", ClusterLayout.DEFAULT_KEEPER_ROOT);
  private static final Pattern CREATE = Pattern.compile("(?s)CREATE TABLE IF NOT EXISTS (\\w+) ON CLUSTER `lode_cluster` (.*)");

  private static List<String> statements;
  private static Map<String, String> singleNode;

  @BeforeAll
  static void render() {
    statements = SchemaMigrator.clusterStatements(LAYOUT);
    singleNode = new java.util.LinkedHashMap<>();
    singleNode.put("schema_migrations", "CREATE TABLE IF NOT EXISTS schema_migrations (version UInt32, name String,"
        + " checksum String, applied_at DateTime64(3, 'UTC') DEFAULT now64(3)) ENGINE = ReplacingMergeTree ORDER BY version");
    Pattern table = Pattern.compile("(?s)CREATE\\s+TABLE\\s+IF\\s+NOT\\s+EXISTS\\s+(\\w+).*");
    for (SchemaMigrator.Migration m : SchemaMigrator.load()) {
      for (String s : SqlScript.statements(m.sql())) {
        Matcher t = table.matcher(s);
        if (t.matches()) {
          singleNode.put(t.group(1), s);
        }
      }
    }
  }

  private static String format(Statement st, String sql) throws SQLException {
    try (ResultSet rs = st.executeQuery("SELECT formatQuery(" + SqlLiteral.string(sql) + ")")) {
      assertTrue(rs.next());
      return rs.getString(1);
    }
  }

  @Test
  void everyStatementParsesAndFormatsToAFixedPoint() throws Exception {
    int ddl = 0;
    try (Connection c = TestWarehouse.get().connect(); Statement st = c.createStatement()) {
      for (String s : statements) {
        String once = format(st, s);
        assertEquals(once, format(st, once), "format(parse(x)) is not a fixed point for: " + s);
        if (!s.startsWith("INSERT")) {
          assertTrue(once.contains("ON CLUSTER lode_cluster"), once);
          ddl++;
        }
        for (String engine : List.of("ENGINE = MergeTree", "ENGINE = ReplacingMergeTree")) {
          assertFalse(once.contains(engine), "an unreplicated table on a cluster: " + once);
        }
      }
    }
    assertTrue(ddl > 80, "only " + ddl + " DDL statements rendered");
  }

  /**
   * Undoing exactly what the cluster form adds (ON CLUSTER, the _local suffix, the Keeper path
   * and replica name) gives the single-node statement back, as the parser formats it.
   */
  @Test
  void eachReplicatedTableIsTheSingleNodeTableOnlyReplicated() throws Exception {
    Set<String> seen = new TreeSet<>();
    try (Connection c = TestWarehouse.get().connect(); Statement st = c.createStatement()) {
      for (String s : statements) {
        Matcher m = CREATE.matcher(s);
        if (!m.matches() || m.group(2).startsWith("AS ")) {
          continue;
        }
        String table = m.group(1).replaceAll(ClusterLayout.LOCAL + "$", "");
        Placement p = ClusterTables.of(table).orElseThrow();
        assertEquals(p.isSharded(), m.group(1).endsWith(ClusterLayout.LOCAL), table);
        String formatted = format(st, s);
        assertTrue(formatted.contains("('/clickhouse/tables/lode/lode/" + (p.isSharded() ? "{shard}/" + table + "_local"
            : "all/" + table) + "', '" + ClusterLayout.replicaName(p) + "'"), formatted);
        String undone = formatted.replace(" ON CLUSTER lode_cluster", "")
            .replaceFirst("CREATE TABLE IF NOT EXISTS " + table + "_local", "CREATE TABLE IF NOT EXISTS " + table)
            .replaceFirst("ENGINE = Replicated(\\w+)\\('[^']*', '[^']*'(, )?", "ENGINE = $1(")
            .replaceFirst("ENGINE = (\\w+)\\(\\)", "ENGINE = $1");
        assertEquals(format(st, singleNode.get(table)), undone, table);
        seen.add(table);
      }
    }
    assertEquals(new TreeSet<>(singleNode.keySet()), seen, "every table of the migrations has a cluster form");
    assertEquals(new TreeSet<>(singleNode.keySet()), new TreeSet<>(ClusterTables.all().keySet()),
        "ClusterTables places exactly the tables the migrations create");
  }

  /** A sharded table's Distributed twin routes by its placement key and reads the local twin in Lode's database. */
  @Test
  void shardedTablesGetADistributedTwinUnderTheQueriedName() throws Exception {
    Set<String> distributed = new HashSet<>();
    try (Connection c = TestWarehouse.get().connect(); Statement st = c.createStatement()) {
      for (String s : statements) {
        Matcher m = CREATE.matcher(s);
        if (m.matches() && m.group(2).startsWith("AS ")) {
          String table = m.group(1);
          assertEquals("CREATE TABLE IF NOT EXISTS " + table + " ON CLUSTER lode_cluster AS " + table
              + "_local\nENGINE = Distributed(lode_cluster, lode, " + table + "_local, "
              + ClusterTables.of(table).orElseThrow().shardingKey() + ")", format(st, s));
          distributed.add(table);
        }
      }
    }
    Set<String> sharded = new HashSet<>();
    ClusterTables.all().forEach((t, p) -> {
      if (p.isSharded()) {
        sharded.add(t);
      }
    });
    assertEquals(sharded, distributed);
    assertTrue(distributed.contains("events"));
  }

  /**
   * Deduplication by ReplacingMergeTree happens within one shard: a re-sent event or reloaded
   * row collapses with its first copy only if both land on the same shard, i.e. if the sharding
   * key reads only columns of the sort key. Checked against the sort keys the engine reports for
   * the migrated tables.
   */
  @Test
  void shardingKeysAreMadeOfSortKeyColumns() throws Exception {
    Warehouse w = TestWarehouse.get();
    boolean onCluster = w.cluster().isPresent();
    try (Connection c = w.connect(); Statement st = c.createStatement()) {
      for (var e : ClusterTables.all().entrySet()) {
        if (!e.getValue().isSharded()) {
          continue;
        }
        String name = e.getKey() + (onCluster ? ClusterLayout.LOCAL : "");
        try (ResultSet rs = st.executeQuery("SELECT sorting_key FROM system.tables WHERE database = currentDatabase()"
            + " AND name = " + SqlLiteral.string(name))) {
          assertTrue(rs.next(), "no table " + name);
          List<String> sortKey = Arrays.stream(rs.getString(1).replaceAll("[()]", "").split(",")).map(String::strip).toList();
          assertTrue(sortKey.containsAll(e.getValue().keyColumns()), e.getKey() + " is sharded by "
              + e.getValue().shardingKey() + " but sorted by " + sortKey);
        }
      }
    }
  }

  @Test
  void alterTargetsTheLocalTwinOfAShardedTable() {
    assertEquals("`events_local` ON CLUSTER `lode_cluster`", LAYOUT.alterTarget("events"));
    assertEquals("`identities` ON CLUSTER `lode_cluster`", LAYOUT.alterTarget("identities"));
    assertEquals(List.of("ALTER TABLE `events_local` ON CLUSTER `lode_cluster` ADD INDEX IF NOT EXISTS i x TYPE minmax"),
        LAYOUT.render("ALTER TABLE events ADD INDEX IF NOT EXISTS i x TYPE minmax"));
  }

  @Test
  void statementsWithoutAClusterFormAreRefusedWithTheReason() {
    IllegalStateException unknown = assertThrows(IllegalStateException.class,
        () -> LAYOUT.render("CREATE TABLE IF NOT EXISTS novel (a String) ENGINE = MergeTree ORDER BY a"));
    assertTrue(unknown.getMessage().contains("novel has no cluster placement"), unknown.getMessage());
    assertThrows(IllegalStateException.class, () -> LAYOUT.render("DROP TABLE events"));
  }

  /**
   * A cluster name the server does not define stops the migration at once with the reason, asked
   * of the engine's own system.clusters (here the embedded engine reached as an external server).
   */
  @Test
  void anUndefinedClusterStopsTheMigrationWithTheReason() {
    Warehouse local = TestWarehouse.get();
    assumeTrue(local.embedded(), "needs the embedded engine's credentials");
    String password = SecretFile.readOrCreate(TestWarehouse.config().dataDir().resolve("engine.password"), 24);
    LodeConfig config = LodeConfig.of(Map.of("lode.warehouse.url", local.jdbcUrl() + "?compress=0",
        "lode.warehouse.user", "lode", "lode.warehouse.password", password,
        "lode.warehouse.cluster", "no_such_cluster", "lode.warehouse.database", "lode_cluster_probe"));
    try (Warehouse w = Warehouse.connectOnly(config)) {
      assertEquals("/clickhouse/tables/lode/lode_cluster_probe", w.cluster().orElseThrow().keeperRoot());
      IllegalStateException e = assertThrows(IllegalStateException.class, () -> new SchemaMigrator(w).migrate());
      assertTrue(e.getMessage().contains("lode.warehouse.cluster=no_such_cluster but the server defines no such"
          + " cluster"), e.getMessage());
    }
  }

  @Test
  void clusterSettingsAreCheckedBeforeAnythingConnects() {
    IllegalArgumentException embedded = assertThrows(IllegalArgumentException.class,
        () -> Warehouse.connectOnly(LodeConfig.of(Map.of("lode.warehouse.url", "", "lode.warehouse.cluster", "c1"))));
    assertTrue(embedded.getMessage().contains("needs lode.warehouse.url"), embedded.getMessage());
    assertThrows(IllegalArgumentException.class, () -> new ClusterLayout("bad name", "lode", ClusterLayout.DEFAULT_KEEPER_ROOT));
    assertThrows(IllegalArgumentException.class, () -> new ClusterLayout("c1", "lode", "/clickhouse/tables/fixed"));
    assertEquals("/clickhouse/tables/lode/lode_x/all/identities",
        LAYOUT.inDatabase("lode_x").keeperPath("identities", ClusterTables.of("identities").orElseThrow()));
  }
}
