package dev.lode.report;

import java.util.Locale;

/** A file a report run writes: comma-separated values, or a self-contained HTML page. */
public enum OutputFormat {
  CSV, HTML;

  /** The format named {@code s} ({@code csv}, {@code html}). */
  public static OutputFormat of(String s) {
    try {
      return valueOf(s.trim().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("output format '" + s + "' is not one of csv, html", e);
    }
  }

  public String extension() {
    return name().toLowerCase(Locale.ROOT);
  }
}
