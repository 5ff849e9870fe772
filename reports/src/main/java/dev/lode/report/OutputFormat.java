package dev.lode.report;

import java.util.Locale;

/** A file a report run writes: comma-separated values, a self-contained HTML page, or that page printed to PDF. */
public enum OutputFormat {
  CSV, HTML, PDF;

  /** The format named {@code s} ({@code csv}, {@code html}, {@code pdf}). */
  public static OutputFormat of(String s) {
    try {
      return valueOf(s.trim().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("output format '" + s + "' is not one of csv, html, pdf", e);
    }
  }

  public String extension() {
    return name().toLowerCase(Locale.ROOT);
  }
}
