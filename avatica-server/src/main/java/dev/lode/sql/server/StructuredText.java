package dev.lode.sql.server;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Collection;
import java.util.Map;

/**
 * A map, tuple or other structured value as the text a client reads: JSON (a ClickHouse
 * {@code Map(String, String)} becomes {@code {"k":"v"}}), which every BI tool can parse, where
 * Java's {@code toString} ({@code {k=v}}) is ambiguous; the column is declared VARCHAR.
 */
final class StructuredText {
  private static final ObjectMapper JSON = new ObjectMapper();

  private StructuredText() {
  }

  static String of(Object value) {
    if (value == null) {
      return null;
    }
    if (value instanceof Map || value instanceof Collection || value.getClass().isArray()) {
      try {
        return JSON.writeValueAsString(value);
      } catch (JsonProcessingException e) {
        return String.valueOf(value);
      }
    }
    return String.valueOf(value);
  }
}
