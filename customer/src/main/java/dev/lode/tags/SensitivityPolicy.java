package dev.lode.tags;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Refuses tag definitions that would infer a sensitive trait: health, religion, politics,
 * sexuality, ethnicity, financial hardship or minors. A definition is refused when its
 * declared category or sensitivity names one of these classes (or a synonym), or when its
 * id or name carries an unmistakable term for one; its sensitivity must otherwise be
 * {@code none} or {@code personal}. Every path that registers a definition goes through
 * {@link #check}, so a refused one never reaches {@code tag_definitions}.
 */
public final class SensitivityPolicy {
  /** The refused classes, each with the words that name it in a category or sensitivity field. */
  public static final Map<String, Set<String>> SENSITIVE_CLASSES;

  static {
    Map<String, Set<String>> m = new LinkedHashMap<>();
    m.put("health", Set.of("health", "medical", "disease", "illness", "disability", "pregnancy", "mental_health",
        "genetic", "biometric"));
    m.put("religion", Set.of("religion", "religious", "faith", "belief", "beliefs"));
    m.put("politics", Set.of("politics", "political", "political_opinion", "party_affiliation", "trade_union"));
    m.put("sexuality", Set.of("sexuality", "sexual", "sexual_orientation", "sex_life", "gender_identity", "lgbt", "lgbtq"));
    m.put("ethnicity", Set.of("ethnicity", "ethnic", "ethnic_origin", "race", "racial", "racial_origin"));
    m.put("financial_hardship", Set.of("financial_hardship", "hardship", "debt", "insolvency", "poverty", "low_income",
        "financial_distress"));
    m.put("minors", Set.of("minors", "minor", "children", "child", "underage", "under_18", "age_under_18"));
    SENSITIVE_CLASSES = Map.copyOf(m);
  }

  // Terms that betray a sensitive inference in a tag's id or name even under an innocent
  // category; narrower than the category words so product interests ("kids_toys") pass.
  // A term matches at the start of a word; one ending in '$' only as a whole word.
  private static final Map<String, List<String>> NAME_TERMS = Map.of(
      "health", List.of("health", "medical", "pregnan", "disease", "illness", "diagnos"),
      "religion", List.of("religio", "faith"),
      "politics", List.of("politic", "voter"),
      "sexuality", List.of("sexual", "lgbt", "gay", "lesbian"),
      "ethnicity", List.of("ethnic", "racial"),
      "financial_hardship", List.of("hardship", "debt", "poverty", "insolven", "broke_"),
      "minors", List.of("underage", "under_18", "minor$", "minors$", "child$", "children$"));

  private static final Set<String> ALLOWED_SENSITIVITY = Set.of("none", "personal");

  private SensitivityPolicy() {
  }

  /** Throws {@link SensitiveTagException} naming the field, the value and the class when the definition is refused. */
  public static void check(TagDefinition d) {
    String where = d.source() + " (tag " + d.id() + ")";
    for (String field : List.of("category", "sensitivity")) {
      String value = field.equals("category") ? d.category() : d.sensitivity();
      String cls = classOf(value);
      if (cls != null) {
        throw new SensitiveTagException(where + ": refused, " + field + " '" + value + "' is the sensitive class '" + cls
            + "'; Lode does not infer " + describe(cls) + " from behavior", cls);
      }
    }
    if (!ALLOWED_SENSITIVITY.contains(d.sensitivity())) {
      throw new SensitiveTagException(where + ": refused, sensitivity '" + d.sensitivity() + "' is not allowed"
          + " (use none or personal; sensitive classes are refused)", d.sensitivity());
    }
    for (String text : List.of(d.id(), d.name().toLowerCase(Locale.ROOT).replace(' ', '_'))) {
      for (Map.Entry<String, List<String>> e : NAME_TERMS.entrySet()) {
        for (String term : e.getValue()) {
          if (containsTerm(text, term)) {
            throw new SensitiveTagException(where + ": refused, its id or name '" + text + "' contains '" + term.replace("$", "")
                + "', an inference in the sensitive class '" + e.getKey() + "'", e.getKey());
          }
        }
      }
    }
  }

  /** The sensitive class a category or sensitivity word names, or null. */
  public static String classOf(String value) {
    String v = value.toLowerCase(Locale.ROOT).strip().replace('-', '_').replace(' ', '_');
    for (Map.Entry<String, Set<String>> e : SENSITIVE_CLASSES.entrySet()) {
      if (e.getValue().contains(v)) {
        return e.getKey();
      }
    }
    return null;
  }

  private static boolean containsTerm(String text, String term) {
    boolean whole = term.endsWith("$");
    String t = whole ? term.substring(0, term.length() - 1) : term;
    int from = 0;
    while (true) {
      int i = text.indexOf(t, from);
      if (i < 0) {
        return false;
      }
      int end = i + t.length();
      if ((i == 0 || !Character.isLetter(text.charAt(i - 1)))
          && (!whole || end == text.length() || !Character.isLetter(text.charAt(end)))) {
        return true;
      }
      from = i + 1;
    }
  }

  private static String describe(String cls) {
    return switch (cls) {
      case "financial_hardship" -> "financial hardship";
      case "minors" -> "whether a person is a minor";
      default -> cls;
    };
  }
}
