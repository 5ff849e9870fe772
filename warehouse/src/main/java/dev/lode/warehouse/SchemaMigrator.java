package dev.lode.warehouse;

import dev.lode.hash.Sha256;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import dev.lode.warehouse.cluster.ClusterLayout;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies the ordered migrations in {@code sql/schema/} ({@code V001__name.sql}, …) once
 * each, recording version, name and checksum in {@code schema_migrations}. Statements
 * are idempotent, so a start interrupted mid-migration simply re-runs it. An applied
 * migration whose file changed stops the start with an error rather than diverging.
 */
public final class SchemaMigrator {
  private static final Logger LOG = LoggerFactory.getLogger(SchemaMigrator.class);
  private static final Pattern NAME = Pattern.compile("V(\\d+)__([A-Za-z0-9_]+)\\.sql");

  private final Warehouse warehouse;

  public SchemaMigrator(Warehouse warehouse) {
    this.warehouse = warehouse;
  }

  /** One migration file. */
  public record Migration(int version, String name, String sql, String checksum) {
  }

  /** Applies pending migrations; returns how many ran. */
  public int migrate() {
    String db = warehouse.database();
    Optional<ClusterLayout> cluster = warehouse.cluster();
    try (Connection c = warehouse.connect("default"); Statement st = c.createStatement()) {
      if (cluster.isPresent()) {
        checkClusterDefined(st, cluster.get());
      }
      st.execute(cluster.map(ClusterLayout::createDatabase).orElse("CREATE DATABASE IF NOT EXISTS `" + db + "`"));
    } catch (SQLException e) {
      throw new IllegalStateException("cannot create database " + db + ": " + e.getMessage(), e);
    }
    try (Connection c = warehouse.connect(); Statement st = c.createStatement()) {
      for (String sql : render(cluster, MIGRATIONS_TABLE)) {
        st.execute(sql);
      }
    } catch (SQLException e) {
      throw new IllegalStateException("cannot prepare the migrations table: " + e.getMessage(), e);
    }
    Map<Integer, String> applied = new HashMap<>();
    int ran = 0;
    try (Connection c = warehouse.connect()) {
      try (Statement st = c.createStatement();
           ResultSet rs = st.executeQuery("SELECT version, checksum FROM schema_migrations FINAL")) {
        while (rs.next()) {
          applied.put(rs.getInt(1), rs.getString(2));
        }
      }
      for (Migration m : load()) {
        String done = applied.get(m.version());
        if (done != null) {
          if (!done.equals(m.checksum())) {
            throw new IllegalStateException("migration V" + m.version() + "__" + m.name() + " was changed after it"
                + " was applied (checksum " + done + " in schema_migrations, " + m.checksum() + " now); add a new"
                + " migration instead of editing an applied one");
          }
          continue;
        }
        LOG.info("applying migration V{}__{}", m.version(), m.name());
        try (Statement st = c.createStatement()) {
          for (String statement : SqlScript.statements(m.sql())) {
            for (String sql : render(cluster, statement)) {
              st.execute(sql);
            }
          }
        } catch (SQLException e) {
          throw new IllegalStateException("migration V" + m.version() + "__" + m.name() + " failed: " + e.getMessage(), e);
        }
        try (PreparedStatement ps = c.prepareStatement(
            "INSERT INTO schema_migrations (version, name, checksum) VALUES (?, ?, ?)")) {
          ps.setInt(1, m.version());
          ps.setString(2, m.name());
          ps.setString(3, m.checksum());
          ps.executeUpdate();
        }
        ran++;
      }
      ViewJoinSemantics.pin(c, cluster.map(ClusterLayout::name).orElse(null));
    } catch (SQLException e) {
      throw new IllegalStateException("schema migration failed: " + e.getMessage(), e);
    }
    return ran;
  }

  /** The table that records applied migrations (created before any migration runs). */
  static final String MIGRATIONS_TABLE = "CREATE TABLE IF NOT EXISTS schema_migrations (version UInt32, name String,"
      + " checksum String, applied_at DateTime64(3, 'UTC') DEFAULT now64(3)) ENGINE = ReplacingMergeTree ORDER BY version";

  /** The statements one migration statement runs as: itself on one server, its cluster form on a cluster. */
  static List<String> render(Optional<ClusterLayout> cluster, String statement) {
    return cluster.map(l -> l.render(statement)).orElse(List.of(statement));
  }

  /**
   * Every statement the migrations run on {@code cluster} (the migrations table first), in order:
   * what tests check with the engine's parser, and what an operator can read before pointing Lode
   * at a cluster.
   */
  public static List<String> clusterStatements(ClusterLayout cluster) {
    List<String> out = new ArrayList<>(List.of(cluster.createDatabase()));
    out.addAll(cluster.render(MIGRATIONS_TABLE));
    for (Migration m : load()) {
      for (String statement : SqlScript.statements(m.sql())) {
        out.addAll(cluster.render(statement));
      }
    }
    return out;
  }

  /** Stops early, with the reason, when the servers do not define the cluster (ON CLUSTER would wait and fail). */
  private static void checkClusterDefined(Statement st, ClusterLayout cluster) throws SQLException {
    try (ResultSet rs = st.executeQuery("SELECT count() FROM system.clusters WHERE cluster = "
        + SqlLiteral.string(cluster.name()))) {
      if (rs.next() && rs.getLong(1) == 0) {
        throw new IllegalStateException("lode.warehouse.cluster=" + cluster.name() + " but the server defines no such"
            + " cluster (system.clusters; <remote_servers> in its configuration)");
      }
    }
  }

  /** The migrations on the classpath under {@code lode/sql/schema}, ordered by version. */
  public static List<Migration> load() {
    URL root = SchemaMigrator.class.getClassLoader().getResource("lode/sql/schema");
    if (root == null) {
      throw new IllegalStateException("lode/sql/schema is not on the classpath (is lode-sql missing?)");
    }
    try {
      URI uri = root.toURI();
      if (uri.getScheme().equals("jar")) {
        try (FileSystem fs = FileSystems.newFileSystem(uri, Map.of())) {
          return read(fs.getPath("lode/sql/schema"));
        } catch (java.nio.file.FileSystemAlreadyExistsException e) {
          return read(FileSystems.getFileSystem(uri).getPath("lode/sql/schema"));
        }
      }
      return read(Path.of(uri));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  private static List<Migration> read(Path dir) throws IOException {
    List<Migration> out = new ArrayList<>();
    try (Stream<Path> files = Files.list(dir)) {
      for (Path f : files.toList()) {
        Matcher m = NAME.matcher(f.getFileName().toString());
        if (!m.matches()) {
          continue;
        }
        byte[] bytes;
        try (InputStream in = Files.newInputStream(f)) {
          bytes = in.readAllBytes();
        }
        out.add(new Migration(Integer.parseInt(m.group(1)), m.group(2), new String(bytes, StandardCharsets.UTF_8),
            sha256(bytes)));
      }
    }
    out.sort((a, b) -> Integer.compare(a.version(), b.version()));
    for (int i = 1; i < out.size(); i++) {
      if (out.get(i).version() == out.get(i - 1).version()) {
        throw new IllegalStateException("two migrations share version " + out.get(i).version());
      }
    }
    return out;
  }

  private static String sha256(byte[] bytes) {
    return Sha256.hex(bytes);
  }
}
