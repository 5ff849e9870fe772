package dev.lode.report;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystem;
import java.nio.file.FileSystemAlreadyExistsException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * The reports Lode knows: the built-in definitions on the classpath under
 * {@code lode/sql/reports} and, overriding them by name, the {@code *.sql} files in
 * {@code lode.reports.dir} if set.
 */
public final class ReportCatalog {
  private final Map<String, ReportDefinition> reports;

  private ReportCatalog(Map<String, ReportDefinition> reports) {
    this.reports = reports;
  }

  /** The built-in reports plus those in {@code extraDir} (may be null). */
  public static ReportCatalog load(Path extraDir) {
    Map<String, ReportDefinition> all = new TreeMap<>();
    readBuiltIn(all);
    if (extraDir != null) {
      if (!Files.isDirectory(extraDir)) {
        throw new IllegalArgumentException("lode.reports.dir " + extraDir + " is not a directory");
      }
      try {
        read(extraDir, all);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read report definitions in " + extraDir, e);
      }
    }
    return new ReportCatalog(all);
  }

  /** A catalog of exactly these definitions; for tests and tools. */
  public static ReportCatalog of(Collection<ReportDefinition> defs) {
    Map<String, ReportDefinition> all = new TreeMap<>();
    defs.forEach(d -> all.put(d.name(), d));
    return new ReportCatalog(all);
  }

  private static void readBuiltIn(Map<String, ReportDefinition> into) {
    URL root = ReportCatalog.class.getClassLoader().getResource("lode/sql/reports");
    if (root == null) {
      throw new IllegalStateException("lode/sql/reports is not on the classpath (is lode-sql missing?)");
    }
    try {
      URI uri = root.toURI();
      if (uri.getScheme().equals("jar")) {
        try (FileSystem fs = FileSystems.newFileSystem(uri, Map.of())) {
          read(fs.getPath("lode/sql/reports"), into);
        } catch (FileSystemAlreadyExistsException e) {
          read(FileSystems.getFileSystem(uri).getPath("lode/sql/reports"), into);
        }
      } else {
        read(Path.of(uri), into);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  private static void read(Path dir, Map<String, ReportDefinition> into) throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      for (Path f : files.sorted().toList()) {
        String file = f.getFileName().toString();
        if (file.endsWith(".sql")) {
          String name = file.substring(0, file.length() - 4);
          into.put(name, ReportDefinition.parse(name, new String(Files.readAllBytes(f), StandardCharsets.UTF_8)));
        }
      }
    }
  }

  public List<ReportDefinition> all() {
    return List.copyOf(reports.values());
  }

  public Optional<ReportDefinition> find(String name) {
    return Optional.ofNullable(reports.get(name));
  }

  /** The report called {@code name}, or an error listing the known ones. */
  public ReportDefinition get(String name) {
    return find(name).orElseThrow(() -> new IllegalArgumentException(
        "no report '" + name + "' (known: " + String.join(", ", reports.keySet()) + ")"));
  }
}
