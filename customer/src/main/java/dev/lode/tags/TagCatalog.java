package dev.lode.tags;

import dev.lode.config.LodeConfig;
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
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The tag definitions Lode knows: the built-in {@code sql/tags/*.sql} files on the
 * classpath plus any in the directory {@code lode.tags.dir}, each parsed and checked by
 * the {@link SensitivityPolicy}. Files that fail are kept as refusals with their reason,
 * so listing shows them instead of silently dropping them.
 */
public final class TagCatalog {
  private static final String CLASSPATH_DIR = "lode/sql/tags";

  private final Map<String, TagDefinition> definitions;
  private final List<TagDefinitionException> refused;

  private TagCatalog(Map<String, TagDefinition> definitions, List<TagDefinitionException> refused) {
    this.definitions = definitions;
    this.refused = refused;
  }

  /** Built-in definitions plus those under {@code lode.tags.dir}, if set; a local file overrides a built-in id. */
  public static TagCatalog load(LodeConfig config) {
    Map<String, String> files = new LinkedHashMap<>(classpathFiles());
    Optional<String> dir = config.get("lode.tags.dir");
    if (dir.isPresent()) {
      Path p = config.getPath("lode.tags.dir", dir.get());
      if (!Files.isDirectory(p)) {
        throw new IllegalArgumentException("lode.tags.dir=" + dir.get() + " is not a directory");
      }
      files.putAll(read(p, p.toString()));
    }
    return of(files);
  }

  /** A catalog over the given files (name → text). */
  public static TagCatalog of(Map<String, String> files) {
    Map<String, TagDefinition> defs = new LinkedHashMap<>();
    List<TagDefinitionException> refused = new ArrayList<>();
    Map<String, String> sourceOf = new LinkedHashMap<>();
    for (Map.Entry<String, String> f : files.entrySet()) {
      try {
        TagDefinition d = TagDefinition.parse(f.getKey(), f.getValue());
        SensitivityPolicy.check(d);
        String other = sourceOf.get(d.id());
        if (other != null && !sameName(other, d.source())) {
          throw new TagDefinitionException(d.source() + ": tag id '" + d.id() + "' is already defined by " + other);
        }
        sourceOf.put(d.id(), d.source());
        defs.put(d.id(), d);
      } catch (TagDefinitionException e) {
        refused.add(e);
      }
    }
    return new TagCatalog(defs, List.copyOf(refused));
  }

  // The same file name in the local directory replaces the built-in one.
  private static boolean sameName(String a, String b) {
    return Path.of(a).getFileName().equals(Path.of(b).getFileName());
  }

  public List<TagDefinition> definitions() {
    return List.copyOf(definitions.values());
  }

  /** Definitions that were refused, each exception naming the file and the reason. */
  public List<TagDefinitionException> refused() {
    return refused;
  }

  public Optional<TagDefinition> get(String id) {
    return Optional.ofNullable(definitions.get(id));
  }

  /** The definition with this id, or an error listing the known ones. */
  public TagDefinition require(String id) {
    TagDefinition d = definitions.get(id);
    if (d == null) {
      throw new IllegalArgumentException("unknown tag '" + id + "'; known tags: " + String.join(", ", definitions.keySet()));
    }
    return d;
  }

  private static Map<String, String> classpathFiles() {
    URL root = TagCatalog.class.getClassLoader().getResource(CLASSPATH_DIR);
    if (root == null) {
      return Map.of();
    }
    try {
      URI uri = root.toURI();
      if (uri.getScheme().equals("jar")) {
        try (FileSystem fs = FileSystems.newFileSystem(uri, Map.of())) {
          return read(fs.getPath(CLASSPATH_DIR), "sql/tags");
        } catch (FileSystemAlreadyExistsException e) {
          return read(FileSystems.getFileSystem(uri).getPath(CLASSPATH_DIR), "sql/tags");
        }
      }
      return read(Path.of(uri), "sql/tags");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  private static Map<String, String> read(Path dir, String label) {
    Map<String, String> out = new LinkedHashMap<>();
    try (Stream<Path> files = Files.list(dir)) {
      for (Path f : files.filter(p -> p.getFileName().toString().endsWith(".sql"))
          .sorted(Comparator.comparing(p -> p.getFileName().toString())).toList()) {
        out.put(label + "/" + f.getFileName(), new String(Files.readAllBytes(f), StandardCharsets.UTF_8));
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read tag definitions in " + dir, e);
    }
    return out;
  }
}
