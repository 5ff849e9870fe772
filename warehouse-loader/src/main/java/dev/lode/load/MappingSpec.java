package dev.lode.load;

import dev.lode.hash.Sha256;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * How a foreign file becomes rows of one load kind, written as JSON so a new file loads
 * without code: the file's format, which target column comes from which source field
 * (with types, time formats, constants, value maps, keyword classes and conditions),
 * which records to reject with which reason, and which loaded records to tally. The
 * syntax is described in docs/loaders.md; built-in mappings live in {@code lode/mappings/}.
 *
 * @param fields target column → field rule (a source column name, or an object)
 * @param reject rules tried in order before mapping: {@code {"reason": …, "when": condition}}
 * @param tally named conditions counted over loaded records, reported in the summary
 */
public record MappingSpec(String name, String kind, String format, boolean header, List<String> names,
                          String delimiter, String source, String timezone, Map<String, JsonNode> fields,
                          List<JsonNode> reject, Map<String, JsonNode> tally, String sha256) {

  private static final ObjectMapper JSON = new ObjectMapper();

  /** Built-in mapping names, each a resource {@code lode/mappings/<name>.json}. */
  public static final List<String> BUILT_IN = List.of("online-retail", "clickstream", "ticket-export");

  /** The mapping for {@code kind} when none is given: target columns read from same-named fields. */
  public static MappingSpec defaultFor(LoadKind kind) {
    return new MappingSpec("default-" + kind.id(), kind.id(), null, true, null, null, null, "UTC", Map.of(), List.of(),
        Map.of(), "default-" + kind.id());
  }

  /** A built-in mapping by name, or a mapping file. */
  public static MappingSpec resolve(String nameOrFile) {
    if (BUILT_IN.contains(nameOrFile)) {
      try (InputStream in = MappingSpec.class.getResourceAsStream("/lode/mappings/" + nameOrFile + ".json")) {
        if (in == null) {
          throw new IllegalStateException("built-in mapping " + nameOrFile + " is missing from the classpath");
        }
        return parse(nameOrFile, new String(in.readAllBytes(), StandardCharsets.UTF_8));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    Path p = Path.of(nameOrFile);
    if (!Files.isRegularFile(p)) {
      throw new IllegalArgumentException("mapping '" + nameOrFile + "' is neither a built-in mapping " + BUILT_IN
          + " nor a readable file");
    }
    try {
      return parse(p.getFileName().toString(), Files.readString(p));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read mapping " + p, e);
    }
  }

  /** Parses mapping JSON; errors name the offending key. */
  public static MappingSpec parse(String name, String json) {
    JsonNode root;
    try {
      root = JSON.readTree(json);
    } catch (IOException e) {
      throw new IllegalArgumentException("mapping " + name + " is not valid JSON: " + e.getMessage());
    }
    if (root == null || !root.isObject()) {
      throw new IllegalArgumentException("mapping " + name + " must be a JSON object");
    }
    for (var it = root.fieldNames(); it.hasNext(); ) {
      String k = it.next();
      if (!List.of("name", "kind", "format", "header", "names", "delimiter", "source", "timezone", "fields", "reject",
          "tally", "description").contains(k)) {
        throw new IllegalArgumentException("mapping " + name + ": unknown key '" + k + "'");
      }
    }
    Map<String, JsonNode> fields = new LinkedHashMap<>();
    if (root.has("fields")) {
      root.get("fields").properties().forEach(e -> fields.put(e.getKey(), e.getValue()));
    }
    List<JsonNode> reject = new ArrayList<>();
    if (root.has("reject")) {
      root.get("reject").forEach(reject::add);
    }
    Map<String, JsonNode> tally = new LinkedHashMap<>();
    if (root.has("tally")) {
      root.get("tally").properties().forEach(e -> tally.put(e.getKey(), e.getValue()));
    }
    List<String> names = null;
    if (root.has("names")) {
      names = new ArrayList<>();
      for (JsonNode n : root.get("names")) {
        names.add(n.asText());
      }
    }
    return new MappingSpec(root.path("name").asText(name), text(root, "kind"), text(root, "format"),
        root.path("header").asBoolean(true), names, text(root, "delimiter"), text(root, "source"),
        root.path("timezone").asText("UTC"), fields, reject, tally, sha256(json));
  }

  private static String text(JsonNode root, String key) {
    JsonNode n = root.get(key);
    return n == null || n.isNull() ? null : n.asText();
  }

  static String sha256(String s) {
    return Sha256.hex(s);
  }
}
