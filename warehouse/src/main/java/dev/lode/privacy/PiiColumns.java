package dev.lode.privacy;

import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * Which warehouse columns hold personal data, and how analysts see them instead. A column is
 * PII by its name wherever it appears (email, phone, ip, user_agent, free text, raw external
 * ids), by a {@code PII} mark in its ClickHouse comment, or — for {@code evidence} — by
 * living in an identity table. Because the rule is by name, the tables and views other
 * modules add later are masked without being listed here.
 */
public final class PiiColumns {
  /** Columns replaced by their {@link Pseudonym}. */
  static final Set<String> HASHED = Set.of("email", "phone", "ip", "ip_address", "user_agent", "body", "subject",
      "detail", "raw_payload", "requester", "recipient", "customer_key", "customer_no", "contact_id", "id_value",
      "other_value", "link_id_value", "other_id_value", "anonymous_id", "user_id", "distinct_id", "email_sha256",
      "phone_sha256", "ids");
  /** Columns holding URLs: analysts see them without query string and fragment (where emails and tokens travel). */
  static final Set<String> URLS = Set.of("url", "referrer");
  /** Free-form maps whose values are masked when the key looks personal. */
  static final Set<String> MAPS = Set.of("properties", "traits");
  /** Map keys (lowercase, as a RE2 pattern) whose values are personal. */
  static final String PERSONAL_KEY = "mail|phone|mobile|name|address|street|zip|postcode|postal|birth|dob|ssn|passport"
      + "|password|token|iban|card|^ip$|ip_?addr|user_?agent";

  /** How a masked column is rewritten. */
  public enum Mask { HASH, URL, MAP_VALUES }

  private PiiColumns() {
  }

  /** The mask of column {@code name} of {@code table} with ClickHouse type {@code type} and {@code comment}, if PII. */
  public static Optional<Mask> of(String table, String name, String type, String comment) {
    String n = name.toLowerCase(Locale.ROOT);
    if (HASHED.contains(n) || n.endsWith("_email") || n.endsWith("_phone") || n.endsWith("_ip")
        || (n.equals("evidence") && table.startsWith("identity_"))
        || (comment != null && comment.contains("PII"))) {
      return Optional.of(Mask.HASH);
    }
    if (URLS.contains(n) && isString(type)) {
      return Optional.of(Mask.URL);
    }
    if (MAPS.contains(n) && type.startsWith("Map(")) {
      return Optional.of(Mask.MAP_VALUES);
    }
    return Optional.empty();
  }

  /** The ClickHouse expression showing {@code column} (a quoted identifier of type {@code type}) masked. */
  public static String expression(Mask mask, String column, String type, Pseudonym pseudonym) {
    return switch (mask) {
      case URL -> type.startsWith("Nullable(") ? "if(isNull(" + column + "), NULL, cutQueryStringAndFragment(assumeNotNull("
          + column + ")))" : "cutQueryStringAndFragment(toString(" + column + "))";
      case MAP_VALUES -> "mapApply((k, v) -> (k, if(match(lower(k), '" + PERSONAL_KEY + "'), "
          + pseudonym.sql("toString(v)") + ", toString(v))), " + column + ")";
      case HASH -> hash(column, type, pseudonym);
    };
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
}
