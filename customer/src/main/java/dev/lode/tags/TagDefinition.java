package dev.lode.tags;

import dev.lode.hash.Sha256;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One versioned tag definition: the metadata from the header of a {@code sql/tags/*.sql}
 * file and the SELECT that computes it. See docs/tags.md for the file format and the
 * columns the SELECT must return.
 *
 * @param params extra {@code key: value} settings a kind reads (model tags: {@code model.*})
 */
public record TagDefinition(String id, int version, String name, String description, String owner, String category,
                            String sensitivity, TagKind kind, Duration refresh, int ttlDays, String consentPurpose,
                            Map<String, String> params, String sql, String source) {
  private static final Pattern HEADER = Pattern.compile("--\\s*([a-z_.]+)\\s*:\\s*(.*?)\\s*");
  private static final Pattern ID = Pattern.compile("[a-z][a-z0-9_]{1,62}");
  private static final Pattern DURATION = Pattern.compile("(\\d+)\\s*([mhd])");
  private static final Pattern PLACEHOLDER = Pattern.compile("\\{([A-Za-z_][A-Za-z0-9_]*)}");
  private static final Set<String> REQUIRED = Set.of("tag", "version", "name", "description", "owner", "category",
      "sensitivity", "kind", "refresh", "ttl_days");
  private static final Set<String> OPTIONAL = Set.of("consent");
  private static final Set<String> PLACEHOLDERS = Set.of("as_of", "horizon_days");

  /** Parses a definition file; {@code source} names it in every error. */
  public static TagDefinition parse(String source, String text) {
    Map<String, String> h = new LinkedHashMap<>();
    Map<String, String> params = new LinkedHashMap<>();
    String[] lines = text.split("\r?\n", -1);
    int i = 0;
    for (; i < lines.length; i++) {
      String line = lines[i].strip();
      if (line.isEmpty()) {
        continue;
      }
      Matcher m = HEADER.matcher(line);
      if (!m.matches()) {
        break; // the header ends at the first line that is not "-- key: value"
      }
      String key = m.group(1);
      if (key.startsWith("model.")) {
        params.put(key, m.group(2));
      } else if (REQUIRED.contains(key) || OPTIONAL.contains(key)) {
        if (h.put(key, m.group(2)) != null) {
          throw new TagDefinitionException(source + ": header '" + key + "' appears twice");
        }
      } else {
        throw new TagDefinitionException(source + " line " + (i + 1) + ": unknown header '" + key + "' (expected "
            + String.join(", ", new java.util.TreeSet<>(REQUIRED)) + ", consent or model.*)");
      }
    }
    for (String r : REQUIRED) {
      if (!h.containsKey(r) || h.get(r).isBlank()) {
        throw new TagDefinitionException(source + ": header '-- " + r + ": …' is missing or empty");
      }
    }
    StringBuilder body = new StringBuilder();
    for (; i < lines.length; i++) {
      body.append(lines[i]).append('\n');
    }
    String sql = body.toString().strip();
    while (sql.endsWith(";")) {
      sql = sql.substring(0, sql.length() - 1).strip();
    }
    String id = h.get("tag");
    if (!ID.matcher(id).matches()) {
      throw new TagDefinitionException(source + ": tag id '" + id + "' must match [a-z][a-z0-9_]{1,62}");
    }
    int version = positive(source, "version", h.get("version"), 1);
    int ttl = positive(source, "ttl_days", h.get("ttl_days"), 0);
    TagKind kind;
    try {
      kind = TagKind.parse(h.get("kind"));
    } catch (IllegalArgumentException e) {
      throw new TagDefinitionException(source + ": " + e.getMessage());
    }
    checkSql(source, sql);
    String consent = h.getOrDefault("consent", "profiling");
    if (!consent.matches("[a-z_]{1,40}")) {
      throw new TagDefinitionException(source + ": consent must name a purpose like profiling, got '" + consent + "'");
    }
    return new TagDefinition(id, version, h.get("name"), h.get("description"), h.get("owner"),
        h.get("category").toLowerCase(Locale.ROOT), h.get("sensitivity").toLowerCase(Locale.ROOT), kind,
        duration(source, h.get("refresh")), ttl, consent, Map.copyOf(params), sql, source);
  }

  private static int positive(String source, String key, String v, int min) {
    try {
      int n = Integer.parseInt(v);
      if (n < min) {
        throw new NumberFormatException();
      }
      return n;
    } catch (NumberFormatException e) {
      throw new TagDefinitionException(source + ": " + key + " must be an integer >= " + min + ", got '" + v + "'");
    }
  }

  private static Duration duration(String source, String v) {
    Matcher m = DURATION.matcher(v.toLowerCase(Locale.ROOT));
    if (!m.matches() || Long.parseLong(m.group(1)) == 0) {
      throw new TagDefinitionException(source + ": refresh must look like 30m, 1h or 1d, got '" + v + "'");
    }
    long n = Long.parseLong(m.group(1));
    return switch (m.group(2)) {
      case "m" -> Duration.ofMinutes(n);
      case "h" -> Duration.ofHours(n);
      default -> Duration.ofDays(n);
    };
  }

  // One read-only statement: it is wrapped into INSERT … SELECT, so anything else is a mistake.
  private static void checkSql(String source, String sql) {
    String head = sql.replaceAll("(?s)^(\\s*--[^\\n]*\\n)*\\s*", "").toUpperCase(Locale.ROOT);
    if (!(head.startsWith("SELECT") || head.startsWith("WITH"))) {
      throw new TagDefinitionException(source + ": the body must be one SELECT (or WITH … SELECT) statement");
    }
    if (dev.lode.warehouse.SqlScript.statements(sql).size() != 1) {
      throw new TagDefinitionException(source + ": the body must be exactly one statement (found a ';' inside)");
    }
    Matcher m = PLACEHOLDER.matcher(sql.replaceAll("'(?:[^'\\\\]|\\\\.)*'", "''"));
    while (m.find()) {
      if (!PLACEHOLDERS.contains(m.group(1))) {
        throw new TagDefinitionException(source + ": unknown placeholder {" + m.group(1) + "} (known: {as_of},"
            + " {horizon_days})");
      }
    }
  }

  /** The SELECT with its placeholders filled: {@code {as_of}} with the refresh time, {@code {horizon_days}} with the model's horizon. */
  public String render(java.time.Instant asOf) {
    return sql.replace("{as_of}", dev.lode.warehouse.SqlLiteral.timestamp(asOf))
        .replace("{horizon_days}", Integer.toString(horizonDays()));
  }

  /** A model tag's label horizon: the days after {@code as_of} in which a purchase counts as a positive. */
  public int horizonDays() {
    String v = param("model.horizon_days", "14");
    try {
      int n = Integer.parseInt(v);
      if (n >= 1 && n <= 365) {
        return n;
      }
    } catch (NumberFormatException ignored) {
      // reported below
    }
    throw new TagDefinitionException(source + ": model.horizon_days must be an integer in 1..365, got '" + v + "'");
  }

  /** A model setting, e.g. {@code model.horizon_days}. */
  public String param(String key, String fallback) {
    return params.getOrDefault(key, fallback);
  }

  /** SHA-256 of everything that defines the tag's values; a change needs a new version. */
  public String checksum() {
    String canonical = String.join("\u0000", id, Integer.toString(version), category, sensitivity, kind.label(),
        consentPurpose, new java.util.TreeMap<>(params).toString(), sql);
    return Sha256.hex(canonical);
  }

  /** The refresh interval as written in headers, e.g. {@code 1h}. */
  public String refreshText() {
    long m = refresh.toMinutes();
    return m % 1440 == 0 ? m / 1440 + "d" : m % 60 == 0 ? m / 60 + "h" : m + "m";
  }
}
