package dev.lode.collector.policy;

import dev.lode.collector.CollectedEvent;
import dev.lode.collector.CollectorSettings;
import dev.lode.hash.Sha256;
import dev.lode.config.SecretFile;
import dev.lode.config.LodeConfig;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Personal data handled at ingest, before anything is spooled: properties named in
 * {@code lode.collector.pii.drop} are removed, those in {@code lode.collector.pii.hash}
 * replaced by hex SHA-256 of salt + value (lower-cased and trimmed, so the same email
 * hashes the same from every source). {@code ip} and {@code user_agent} may be named
 * too. The salt is {@code lode.collector.pii.salt}, or one generated per data directory.
 */
public final class PiiPolicy {
  private final Set<String> drop;
  private final Set<String> hash;
  private final byte[] salt;

  PiiPolicy(Set<String> drop, Set<String> hash, byte[] salt) {
    this.drop = drop;
    this.hash = hash;
    this.salt = salt;
  }

  public static PiiPolicy from(LodeConfig c) {
    Set<String> drop = names(c.get("lode.collector.pii.drop", ""));
    Set<String> hash = names(c.get("lode.collector.pii.hash", ""));
    String salt = c.get("lode.collector.pii.salt").orElseGet(() -> generatedSalt(c.dataDir().resolve("collector")
        .resolve("pii.salt")));
    return new PiiPolicy(drop, hash, salt.getBytes(StandardCharsets.UTF_8));
  }

  private static Set<String> names(String csv) {
    return CollectorSettings.list(csv).stream().map(s -> s.toLowerCase(Locale.ROOT)).collect(Collectors.toSet());
  }

  private static String generatedSalt(Path file) {
    return SecretFile.readOrCreate(file, 24);
  }

  private boolean active() {
    return !drop.isEmpty() || !hash.isEmpty();
  }

  /** The event with the named properties (and ip, user_agent) dropped or hashed; the same instance when none is present. */
  public CollectedEvent apply(CollectedEvent e) {
    if (!active()) {
      return e;
    }
    boolean touched = (drop.contains("ip") || hash.contains("ip")) && !e.ip().isEmpty()
        || (drop.contains("user_agent") || hash.contains("user_agent")) && !e.userAgent().isEmpty();
    for (String k : e.properties().keySet()) {
      String lower = k.toLowerCase(Locale.ROOT);
      if (drop.contains(lower) || hash.contains(lower)) {
        touched = true;
        break;
      }
    }
    if (!touched) {
      return e; // the common case: nothing personal, no copy
    }
    Map<String, String> props = new LinkedHashMap<>();
    for (Map.Entry<String, String> p : e.properties().entrySet()) {
      String k = p.getKey().toLowerCase(Locale.ROOT);
      if (drop.contains(k)) {
        continue;
      }
      props.put(p.getKey(), hash.contains(k) ? hash(p.getValue()) : p.getValue());
    }
    String ip = drop.contains("ip") ? "" : hash.contains("ip") && !e.ip().isEmpty() ? hash(e.ip()) : e.ip();
    String ua = drop.contains("user_agent") ? "" : hash.contains("user_agent") && !e.userAgent().isEmpty()
        ? hash(e.userAgent()) : e.userAgent();
    return e.withPolicy(e.retentionDays(), props, ip, ua);
  }

  String hash(String value) {
    return Sha256.hex(salt, value.strip().toLowerCase(Locale.ROOT).getBytes(StandardCharsets.UTF_8));
  }
}
