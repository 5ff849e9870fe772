package dev.lode.load;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * JSON lines: one object per line. Fields are addressed by name, nested objects by dotted
 * path ({@code context.page.url}); an object or array field reads as its JSON text. A line
 * that is not a JSON object reads as a record with no fields whose {@link #error()} says why.
 */
final class JsonLinesReader implements RecordReader {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final BufferedReader in;
  private final Map<String, String> values = new HashMap<>();
  private long line;
  private String raw;
  private String error;

  JsonLinesReader(BufferedReader in) {
    this.in = in;
  }

  @Override
  public List<String> columns() {
    return null;
  }

  @Override
  public boolean next() throws IOException {
    String s;
    do {
      s = in.readLine();
      if (s == null) {
        return false;
      }
      line++;
    } while (s.isBlank());
    raw = s;
    values.clear();
    error = null;
    try {
      JsonNode n = JSON.readTree(s);
      if (n == null || !n.isObject()) {
        error = "not a JSON object";
      } else {
        flatten("", n);
      }
    } catch (JsonProcessingException e) {
      error = "not valid JSON: " + e.getOriginalMessage();
    }
    return true;
  }

  private void flatten(String prefix, JsonNode n) {
    for (var it = n.properties().iterator(); it.hasNext(); ) {
      var e = it.next();
      String key = prefix + e.getKey();
      JsonNode v = e.getValue();
      if (v.isObject()) {
        values.put(key, v.toString());
        flatten(key + ".", v);
      } else if (v.isArray()) {
        values.put(key, v.toString());
      } else if (!v.isNull()) {
        values.put(key, v.asText());
      }
    }
  }

  /** Why the current line could not be read as an object, or null. */
  String error() {
    return error;
  }

  @Override
  public String get(int index) {
    return "";
  }

  @Override
  public String get(String name) {
    return values.getOrDefault(name, "");
  }

  @Override
  public long line() {
    return line;
  }

  @Override
  public String raw() {
    return raw;
  }

  @Override
  public int width() {
    return -1;
  }

  @Override
  public void close() throws IOException {
    in.close();
  }
}
