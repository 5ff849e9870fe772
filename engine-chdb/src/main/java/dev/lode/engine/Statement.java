package dev.lode.engine;

import java.io.InputStream;
import java.util.Map;

/**
 * One statement for the engine: SQL text, the output format, the database it runs in,
 * per-statement settings and named {@code {name:Type}} parameters bound by the engine,
 * never pasted into the text. An INSERT may carry its rows as a stream
 * ({@code insertData} in {@code insertFormat}), which the engine reads chunk by chunk;
 * {@code sql} is then the INSERT without its FORMAT clause.
 */
public record Statement(byte[] sql, boolean hasInlineData, String format, String database,
                        Map<String, String> settings, Map<String, String> params,
                        InputStream insertData, String insertFormat) {

  /** A plain query with no settings or parameters. */
  public static Statement of(String sql, String format) {
    return new Statement(sql.getBytes(java.nio.charset.StandardCharsets.UTF_8), false, format, null, Map.of(), Map.of(),
        null, null);
  }
}
