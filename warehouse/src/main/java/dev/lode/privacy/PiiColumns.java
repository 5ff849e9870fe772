package dev.lode.privacy;

import java.util.Collection;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * Which warehouse columns analysts see masked, and how. An allow-list, not a deny-list: every
 * text-valued column (strings, arrays and maps of strings, IP addresses, UUIDs) is replaced by
 * its {@link Pseudonym} unless the reviewed list of safe columns names it ({@link #SAFE_COLUMNS}
 * plus {@code lode.privacy.safe-columns}); columns that hold URLs lose their query string and
 * fragment instead; every value of the {@code properties} and {@code traits} maps is hashed
 * unless its key is a safe one ({@link #SAFE_KEYS} plus {@code lode.privacy.safe-property-keys}),
 * and URL-valued keys lose their query strings. A column or key nobody reviewed is therefore
 * masked, including those of tables other modules add later.
 */
public final class PiiColumns {
  /** Columns hashed whatever their type: raw external ids (also numeric ones) and free text. */
  static final Set<String> HASHED = Set.of("email", "phone", "ip", "ip_address", "user_agent", "body", "subject",
      "detail", "raw_payload", "requester", "recipient", "customer_key", "customer_no", "contact_id", "id_value",
      "other_value", "link_id_value", "other_id_value", "anonymous_id", "user_id", "distinct_id", "email_sha256",
      "phone_sha256", "ids", "previous_id", "session_id", "send_id");
  /** Columns holding URLs or paths: analysts see them without query string and fragment (where emails and tokens travel). */
  static final Set<String> URLS = Set.of("url", "referrer", "page", "path", "href", "link");
  /** Free-form maps whose values are masked unless the key is safe. */
  static final Set<String> MAPS = Set.of("properties", "traits");

  /**
   * The reviewed safe columns: codes, categories, enumerations, catalog and campaign
   * descriptions, Lode's own pseudonymous keys and run bookkeeping. {@code table.column}
   * entries are safe in that table only (a {@code name} or {@code title} elsewhere may be a person's).
   */
  public static final Set<String> SAFE_COLUMNS = Set.of(
      // Lode's own pseudonymous person keys
      "person_id", "from_person_id", "into_person_id", "person_a", "person_b", "ingest_person_id",
      // event descriptors; event ids are the sender's message ids or keyed hashes (collector.wire.ContentId)
      "event_id", "event_name", "event_type", "browser", "os", "device_type", "locale", "country", "region", "city", "category",
      "subcategory", "brand", "item_id", "neighbor_id", "items", "source", "sources", "bot_reason",
      // commerce, service and marketing codes
      "order_id", "ticket_id", "ticket_type", "requester_type", "channel", "currency", "status", "campaign",
      "campaign_id", "offer", "variant", "recipient_type", "response_type", "purpose", "last_ticket_type",
      "consent_marketing", "consent_personalization", "consent_profiling", "rfm", "top_category", "top_categories",
      // identity bookkeeping (types and reasons, never the values)
      "id_type", "other_type", "link_id_type", "other_id_type", "link_reason", "reason", "reason_code",
      // tags, recommendations, reports and runs
      "tag_id", "tag_name", "kind", "sensitivity", "refresh", "metrics", "tag_definitions.sql", "tags.sql",
      "description", "model", "season",
      "seasons", "segment", "regions", "not_regions", "reasons", "watermark", "stream", "metric", "dimension", "check",
      "step_name", "top_value", "report", "trigger", "mode", "target", "run_id", "load_id",
      "mapping_sha256", "file_sha256", "checksum", "collector_policy.action", "collector_policy.match",
      "collector_policy.rule", "lode_settings.key", "loads.mapping",
      // names and texts reviewed per table
      "items.title", "items.attributes", "campaigns.name", "rec_calendar.name", "tag_definitions.name", "tags.name",
      "report_tag_health.name", "schema_migrations.name", "tag_values.value", "person_tags.value",
      "tag_values.evidence", "person_tags.evidence", "lode_settings.value");

  /** The reviewed safe keys of {@code properties} and {@code traits}: codes and amounts, never ids or free text. */
  public static final Set<String> SAFE_KEYS = Set.of("plan", "order_id", "product_id", "item_id", "sku", "category",
      "price", "revenue", "value", "currency", "quantity", "discount", "coupon", "on_sale", "step", "utm_source",
      "utm_medium", "utm_campaign", "sim_persona", "sim_seed", "$lib", "$sample_rate", "$dwell_source", "$dwell_ms",
      "$sa_event", "$sa_type");

  /** Map keys whose values are URLs or paths: their query strings are cut off (and the value kept). */
  static final Set<String> URL_KEYS = Set.of("url", "path", "page", "referrer", "href", "link", "$current_url",
      "$referrer", "$url_path", "$url");

  /** The masks with the built-in allow-lists only. */
  public static final PiiColumns DEFAULT = new PiiColumns(Set.of(), Set.of());

  private final Set<String> safeColumns;
  private final Set<String> safeKeys;

  /**
   * @param moreSafeColumns columns ({@code name} or {@code table.name}) an operator reviewed and declared safe
   * @param moreSafeKeys    map keys an operator reviewed and declared safe
   */
  public PiiColumns(Collection<String> moreSafeColumns, Collection<String> moreSafeKeys) {
    this.safeColumns = lower(SAFE_COLUMNS, moreSafeColumns);
    this.safeKeys = lower(SAFE_KEYS, moreSafeKeys);
  }

  private static Set<String> lower(Set<String> base, Collection<String> more) {
    Set<String> out = new TreeSet<>(base);
    more.forEach(m -> out.add(m.strip().toLowerCase(Locale.ROOT)));
    return Set.copyOf(out);
  }

  /** How a masked column is rewritten. */
  public enum Mask { HASH, URL, MAP_VALUES }

  /** The mask of column {@code name} of {@code table} with ClickHouse type {@code type} and {@code comment}, if any. */
  public Optional<Mask> mask(String table, String name, String type, String comment) {
    String n = name.toLowerCase(Locale.ROOT);
    String qualified = table.toLowerCase(Locale.ROOT) + "." + n;
    boolean marked = comment != null && comment.contains("PII");
    if (!marked && (safeColumns.contains(qualified) || safeColumns.contains(n) && !HASHED.contains(n))) {
      return Optional.empty();
    }
    if (MAPS.contains(n) && type.startsWith("Map(") && !marked) {
      return Optional.of(Mask.MAP_VALUES);
    }
    if (isUrl(n) && isString(type) && !type.startsWith("Array(") && !type.startsWith("Map(") && !marked) {
      return Optional.of(Mask.URL);
    }
    if (marked || HASHED.contains(n) || n.endsWith("_email") || n.endsWith("_phone") || n.endsWith("_ip")
        || isText(type)) {
      return Optional.of(Mask.HASH);
    }
    return Optional.empty();
  }

  /** {@link #mask} with the built-in allow-lists. */
  public static Optional<Mask> of(String table, String name, String type, String comment) {
    return DEFAULT.mask(table, name, type, comment);
  }

  /** The ClickHouse expression showing {@code column} (a quoted identifier of type {@code type}) masked. */
  public String expression(Mask mask, String column, String type, Pseudonym pseudonym) {
    return switch (mask) {
      case URL -> type.startsWith("Nullable(") ? "if(isNull(" + column + "), NULL, " + cutQuery("assumeNotNull("
          + column + ")") + ")" : cutQuery("toString(" + column + ")");
      case MAP_VALUES -> "mapApply((k, v) -> (k, multiIf(lower(k) IN " + list(safeKeys) + ", toString(v), lower(k) IN "
          + list(URL_KEYS) + " OR endsWith(lower(k), '_url'), " + cutQuery("toString(v)") + ", "
          + pseudonym.sql("toString(v)") + ")), " + column + ")";
      case HASH -> hash(column, type, pseudonym);
    };
  }

  /** The safe keys, for documentation and tests. */
  public Set<String> safeKeys() {
    return safeKeys;
  }

  /** Whether map key {@code key} (lower case) holds a URL or path, whose query string analysts never see. */
  public static boolean isUrlKey(String key) {
    return URL_KEYS.contains(key) || key.endsWith("_url");
  }

  private static boolean isUrl(String n) {
    return URLS.contains(n) || n.endsWith("_url") || n.endsWith("_path");
  }

  /** A path or URL without query string and fragment; ClickHouse's function wants a scheme, a bare path is cut by hand. */
  private static String cutQuery(String expr) {
    return "replaceRegexpOne(" + expr + ", '[?#].*$', '')";
  }

  private static String list(Set<String> values) {
    return values.stream().sorted().map(v -> "'" + v.replace("\\", "\\\\").replace("'", "\\'") + "'")
        .collect(Collectors.joining(", ", "(", ")"));
  }

  private static String hash(String column, String type, Pseudonym pseudonym) {
    if (type.startsWith("Nullable(")) {
      return "if(isNull(" + column + "), NULL, " + pseudonym.sql("toString(assumeNotNull(" + column + "))") + ")";
    }
    if (type.startsWith("Array(")) {
      return "arrayMap(x -> " + pseudonym.sql("toString(x)") + ", " + column + ")";
    }
    if (type.startsWith("Map(")) {
      return "mapApply((k, v) -> (k, " + pseudonym.sql("toString(v)") + "), " + column + ")";
    }
    return pseudonym.sql("toString(" + column + ")");
  }

  private static boolean isString(String type) {
    return type.contains("String");
  }

  /** Whether values of {@code type} can carry text or an address (numbers, dates and flags cannot name anyone). */
  private static boolean isText(String type) {
    return type.contains("String") || type.contains("IPv4") || type.contains("IPv6") || type.contains("UUID")
        || type.contains("Enum") || type.contains("JSON") || type.contains("Object") || type.contains("Dynamic")
        || type.contains("Variant");
  }
}
