package dev.lode.engine;

import java.util.Map;

/**
 * One statement for the engine: SQL text (with any inline INSERT data appended), the
 * output format, the database it runs in, per-statement settings and named
 * {@code {name:Type}} parameters bound by the engine, never pasted into the text.
 */
public record Statement(byte[] sql, boolean hasInlineData, String format, String database,
                        Map<String, String> settings, Map<String, String> params) {

  /** A plain query with no settings or parameters. */
  public static Statement of(String sql, String format) {
    return new Statement(sql.getBytes(java.nio.charset.StandardCharsets.UTF_8), false, format, null, Map.of(), Map.of());
  }
}
