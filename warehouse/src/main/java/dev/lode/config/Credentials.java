package dev.lode.config;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;

/**
 * Who may call Lode: SQL users with a role (admin, analyst, viewer) and collector write
 * keys with the source name they stand for. Read from {@code lode.credentials.file}
 * (default {@code <data>/credentials.properties}); on first start that file is created
 * with random secrets, readable only by its owner:
 * <pre>
 * user.admin.password=…      user.admin.role=admin
 * user.analyst.password=…    user.analyst.role=analyst
 * writekey.&lt;key&gt;=web
 * </pre>
 */
public final class Credentials {
  /** A SQL user. */
  public record User(String name, String password, Role role) {
  }

  /** What a SQL user may do. */
  public enum Role { ADMIN, ANALYST, VIEWER }

  private final Path file;
  private final Map<String, User> users;
  private final Map<String, String> writeKeys;
  private final LoginBackoff backoff = new LoginBackoff();

  private Credentials(Path file, Map<String, User> users, Map<String, String> writeKeys) {
    this.file = file;
    this.users = users;
    this.writeKeys = writeKeys;
  }

  /** Loads the configured credentials file, creating it with random secrets if it does not exist. */
  public static Credentials load(LodeConfig config) {
    Path file = config.getPath("lode.credentials.file", config.dataDir().resolve("credentials.properties").toString());
    if (!Files.exists(file)) {
      createDefault(file);
    }
    Properties p = new Properties();
    try (InputStream in = Files.newInputStream(file)) {
      p.load(in);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read credentials file " + file, e);
    }
    Map<String, User> users = new LinkedHashMap<>();
    Map<String, String> keys = new LinkedHashMap<>();
    for (String name : p.stringPropertyNames()) {
      if (name.startsWith("user.") && name.endsWith(".password")) {
        String user = name.substring(5, name.length() - ".password".length());
        String role = p.getProperty("user." + user + ".role", "viewer").trim().toUpperCase(java.util.Locale.ROOT);
        Role r;
        try {
          r = Role.valueOf(role);
        } catch (IllegalArgumentException e) {
          throw new IllegalArgumentException("credentials file " + file + ": user " + user + " has unknown role '"
              + role.toLowerCase(java.util.Locale.ROOT) + "' (admin, analyst or viewer)");
        }
        users.put(user, new User(user, p.getProperty(name).trim(), r));
      } else if (name.startsWith("writekey.")) {
        keys.put(name.substring("writekey.".length()), p.getProperty(name).trim());
      }
    }
    return new Credentials(file, users, keys);
  }

  private static void createDefault(Path file) {
    SecretFile.write(file, "# Lode credentials, generated on first start. Keep this file private.\n"
        + "# SQL users (JDBC/Avatica, HTTP Basic): user.<name>.password and user.<name>.role (admin, analyst, viewer).\n"
        + "user.admin.password=" + SecretFile.randomHex(16) + "\nuser.admin.role=admin\n"
        + "user.analyst.password=" + SecretFile.randomHex(16) + "\nuser.analyst.role=analyst\n"
        + "user.viewer.password=" + SecretFile.randomHex(16) + "\nuser.viewer.role=viewer\n"
        + "# Collector write keys (HTTP Basic user name, empty password): writekey.<key>=<source name>.\n"
        + "writekey." + SecretFile.randomHex(16) + "=web\n");
  }

  /** The user whose password matches, compared in constant time. */
  public Optional<User> authenticate(String user, String password) {
    User u = users.get(user);
    if (u == null || password == null) {
      return Optional.empty();
    }
    boolean ok = MessageDigest.isEqual(u.password().getBytes(StandardCharsets.UTF_8),
        password.getBytes(StandardCharsets.UTF_8));
    return ok ? Optional.of(u) : Optional.empty();
  }

  /** The back-off every check of these credentials over HTTP goes through (one per running Lode). */
  public LoginBackoff backoff() {
    return backoff;
  }

  /** The source name a collector write key stands for. */
  public Optional<String> sourceForWriteKey(String key) {
    return key == null ? Optional.empty() : Optional.ofNullable(writeKeys.get(key));
  }

  public Map<String, User> users() {
    return users;
  }

  public Map<String, String> writeKeys() {
    return writeKeys;
  }

  /** Where these credentials were read from. */
  public Path file() {
    return file;
  }
}
