package dev.lode.tags;

import java.util.Locale;

/** What kind of logic a tag definition holds. */
public enum TagKind {
  /** A plain condition over behavior or silo rows, e.g. abandoned a cart this week. */
  RULE,
  /** A derived measure or segment, e.g. RFM segment, interest, lifecycle stage. */
  COMPUTED,
  /** A statistical model fitted on behavior features, scored per person, with held-out quality. */
  MODEL;

  /** The lower-case name stored in {@code tag_definitions.kind}. */
  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }

  static TagKind parse(String s) {
    for (TagKind k : values()) {
      if (k.label().equals(s)) {
        return k;
      }
    }
    throw new IllegalArgumentException("kind must be rule, computed or model, got '" + s + "'");
  }
}
