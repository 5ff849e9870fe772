package dev.lode.config;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;

/**
 * Lode's configuration: built-in defaults, then {@code conf/lode.properties} under the
 * Lode home, then the file named by {@code LODE_CONFIG}, then {@code LODE_*}
 * environment variables ({@code LODE_WAREHOUSE_URL} → {@code lode.warehouse.url}), then
 * {@code -Dlode.*} system properties; later sources win. Only the operator sets these:
 * no client request can change them.
 */
public final class LodeConfig {
  private final Properties props;

  private LodeConfig(Properties props) {
    this.props = props;
  }

  /** Loads the layered configuration for a process. */
  public static LodeConfig load() {
    Properties p = new Properties();
    try (InputStream in = LodeConfig.class.getResourceAsStream("/lode/defaults.properties")) {
      if (in != null) {
        p.load(in);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    Path home = home();
    readInto(p, home.resolve("conf").resolve("lode.properties"));
    String explicit = System.getenv("LODE_CONFIG");
    if (explicit != null && !explicit.isBlank()) {
      Path f = Path.of(explicit);
      if (!Files.isRegularFile(f)) {
        throw new IllegalArgumentException("LODE_CONFIG names " + f + ", which is not a readable file");
      }
      readInto(p, f);
    }
    for (Map.Entry<String, String> e : System.getenv().entrySet()) {
      if (e.getKey().startsWith("LODE_") && !e.getKey().equals("LODE_CONFIG") && !e.getKey().equals("LODE_HOME")
          && !e.getKey().equals("LODE_JAVA_HOME")) {
        p.setProperty(e.getKey().toLowerCase(Locale.ROOT).replace('_', '.'), e.getValue());
      }
    }
    for (String name : System.getProperties().stringPropertyNames()) {
      if (name.startsWith("lode.")) {
        p.setProperty(name, System.getProperty(name));
      }
    }
    return new LodeConfig(p);
  }

  /** A configuration from explicit properties over the built-in defaults; for tests and embedding. */
  public static LodeConfig of(Map<String, String> overrides) {
    LodeConfig base = load();
    Properties p = new Properties();
    p.putAll(base.props);
    overrides.forEach(p::setProperty);
    return new LodeConfig(p);
  }

  /** The Lode home: {@code LODE_HOME} or {@code lode.home}, else the working directory. */
  public static Path home() {
    String h = System.getProperty("lode.home", System.getenv("LODE_HOME"));
    return (h == null || h.isBlank() ? Path.of("") : Path.of(h)).toAbsolutePath().normalize();
  }

  private static void readInto(Properties p, Path file) {
    if (!Files.isRegularFile(file)) {
      return;
    }
    try (InputStream in = Files.newInputStream(file)) {
      p.load(in);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
  }

  public Optional<String> get(String key) {
    String v = props.getProperty(key);
    return v == null || v.isBlank() ? Optional.empty() : Optional.of(v.trim());
  }

  public String get(String key, String fallback) {
    return get(key).orElse(fallback);
  }

  public int getInt(String key, int fallback) {
    Optional<String> v = get(key);
    if (v.isEmpty()) {
      return fallback;
    }
    try {
      return Integer.parseInt(v.get());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("configuration " + key + "=" + v.get() + " is not an integer");
    }
  }

  /** A path setting; relative paths resolve against the Lode home. */
  public Path getPath(String key, String fallback) {
    Path p = Path.of(get(key, fallback));
    return p.isAbsolute() ? p : home().resolve(p).normalize();
  }

  /** The data directory of the embedded engine and Lode's own state. */
  public Path dataDir() {
    return getPath("lode.data.dir", "data");
  }

  public LodeConfig with(String key, String value) {
    Properties p = new Properties();
    p.putAll(props);
    p.setProperty(key, value);
    return new LodeConfig(p);
  }
}
