package dev.lode.load;

import dev.lode.hash.Sha256;
import dev.lode.warehouse.insert.TargetTable;

import dev.lode.warehouse.insert.ColumnType;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/**
 * A {@link MappingSpec} bound to one file's columns: field rules compiled to evaluators
 * that read the current record by position, and rejection rules compiled to predicates.
 * Mapping a record fills a row of the kind's table (plus its extra columns) or names the
 * reason it must be quarantined.
 */
final class CompiledMapping {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** Reads a text value from the current record. */
  interface Evaluator {
    String eval(RecordReader r);
  }

  /** A record that cannot load, with the quarantine reason code and a detail for people. */
  static final class Rejection extends Exception {
    private static final long serialVersionUID = 1L;
    final String reason;

    Rejection(String reason, String detail) {
      super(detail, null, false, false);
      this.reason = reason;
    }
  }

  private record Reject(String reason, Predicate<RecordReader> when, String detail) {
  }

  private final LoadKind kind;
  private final TargetTable table;
  private final RecordReader reader;
  private final ZoneId zone;
  private final String[] names;
  private final ColumnType[] types;
  private final Evaluator[] evaluators;
  private final TimeParser[] timeParsers;
  private final boolean[] required;
  private final List<Reject> rejects = new ArrayList<>();
  private final Map<String, Predicate<RecordReader>> tallies = new LinkedHashMap<>();

  CompiledMapping(MappingSpec spec, LoadKind kind, RecordReader reader) {
    this.kind = kind;
    this.table = kind.table();
    this.reader = reader;
    this.zone = ZoneId.of(spec.timezone() == null ? "UTC" : spec.timezone());
    List<String> all = new ArrayList<>(table.columnNames());
    all.addAll(kind.extras());
    int n = all.size();
    names = all.toArray(String[]::new);
    types = new ColumnType[n];
    evaluators = new Evaluator[n];
    timeParsers = new TimeParser[n];
    required = new boolean[n];
    for (String target : spec.fields().keySet()) {
      if (!all.contains(target)) {
        throw new IllegalArgumentException("mapping " + spec.name() + ": '" + target + "' is not a column of kind "
            + kind.id() + " (columns: " + String.join(", ", all) + ")");
      }
    }
    for (int i = 0; i < n; i++) {
      types[i] = i < table.columns().size() ? table.columns().get(i).type() : ColumnType.STRING;
      required[i] = kind.required().contains(names[i]);
      JsonNode rule = spec.fields().get(names[i]);
      if (rule != null) {
        evaluators[i] = compile(rule, "fields." + names[i]);
        String format = rule.isObject() && rule.has("format") ? rule.get("format").asText() : null;
        if (types[i] == ColumnType.DATETIME64 || types[i] == ColumnType.NULLABLE_DATETIME64) {
          timeParsers[i] = new TimeParser(format, zone);
        }
      } else if (spec.fields().isEmpty() && hasColumn(names[i])) {
        evaluators[i] = field(names[i]);
        if (types[i] == ColumnType.DATETIME64 || types[i] == ColumnType.NULLABLE_DATETIME64) {
          timeParsers[i] = new TimeParser(null, zone);
        }
      }
    }
    for (JsonNode r : spec.reject()) {
      if (!r.has("reason") || !r.has("when")) {
        throw new IllegalArgumentException("mapping " + spec.name() + ": each reject rule needs \"reason\" and \"when\"");
      }
      rejects.add(new Reject(r.get("reason").asText(), condition(r.get("when"), "reject"),
          r.path("detail").asText("matched reject rule " + r.get("reason").asText())));
    }
    spec.tally().forEach((k, v) -> tallies.put(k, condition(v, "tally." + k)));
    for (int i = 0; i < n; i++) {
      if (required[i] && evaluators[i] == null) {
        throw new IllegalArgumentException("mapping " + spec.name() + " does not fill required column " + names[i]
            + " of kind " + kind.id() + (reader.columns() != null ? " (file columns: " + reader.columns() + ")" : ""));
      }
    }
  }

  private boolean hasColumn(String name) {
    return reader.columns() == null || reader.columns().contains(name);
  }

  /** Column names of the row this mapping fills: the table's, then the kind's extras. */
  String[] names() {
    return names;
  }

  /** Whether the mapping fills column {@code name}. */
  boolean maps(String name) {
    for (int i = 0; i < names.length; i++) {
      if (names[i].equals(name)) {
        return evaluators[i] != null;
      }
    }
    return false;
  }

  Map<String, Predicate<RecordReader>> tallies() {
    return tallies;
  }

  /** Fills {@code row} from the current record, or throws why it cannot load. */
  void map(Object[] row) throws Rejection {
    if (reader instanceof JsonLinesReader j && j.error() != null) {
      throw new Rejection("malformed_record", j.error());
    }
    for (Reject r : rejects) {
      if (r.when().test(reader)) {
        throw new Rejection(r.reason(), r.detail());
      }
    }
    for (int i = 0; i < names.length; i++) {
      Evaluator ev = evaluators[i];
      if (ev == null) {
        row[i] = types[i].empty();
        continue;
      }
      String text;
      try {
        text = ev.eval(reader);
      } catch (RuntimeException e) {
        throw new Rejection("invalid_" + names[i], names[i] + ": " + e.getMessage());
      }
      if (text.isEmpty()) {
        if (required[i]) {
          throw new Rejection("missing_" + names[i], names[i] + " is empty");
        }
        row[i] = types[i].empty();
        continue;
      }
      try {
        row[i] = convert(i, text);
      } catch (RuntimeException e) {
        throw new Rejection("invalid_" + names[i], names[i] + ": " + e.getMessage());
      }
    }
  }

  private Object convert(int i, String text) {
    return switch (types[i]) {
      case STRING -> text;
      case DATETIME64, NULLABLE_DATETIME64 -> timeParsers[i].parse(text);
      case DECIMAL, NULLABLE_DECIMAL -> {
        try {
          yield ColumnType.parseDecimal(text);
        } catch (RuntimeException e) {
          throw new IllegalArgumentException("'" + text + "' is not a decimal number");
        }
      }
      case INT32, UINT8, UINT16, UINT32, UINT64 -> {
        long v;
        try {
          v = ColumnType.parseLong(text);
        } catch (RuntimeException e) {
          throw new IllegalArgumentException("'" + text + "' is not an integer");
        }
        long max = switch (types[i]) {
          case UINT8 -> 255;
          case UINT16 -> 65535;
          case UINT32 -> 4294967295L;
          case INT32 -> Integer.MAX_VALUE;
          default -> Long.MAX_VALUE;
        };
        long min = types[i] == ColumnType.INT32 ? Integer.MIN_VALUE : 0;
        if (v < min || v > max) {
          throw new IllegalArgumentException(text + " is out of range for " + types[i].name().toLowerCase(Locale.ROOT));
        }
        yield v;
      }
      case FLOAT32 -> {
        try {
          yield Double.parseDouble(text);
        } catch (NumberFormatException e) {
          throw new IllegalArgumentException("'" + text + "' is not a number");
        }
      }
      case MAP -> parseMap(text);
      case COUNTS -> throw new IllegalArgumentException("counts are not loadable");
      case ARRAY -> List.of(text.split("\\s*[,|;]\\s*"));
    };
  }

  private static Map<String, String> parseMap(String text) {
    try {
      JsonNode n = JSON.readTree(text);
      if (n == null || !n.isObject()) {
        throw new IllegalArgumentException("expected a JSON object");
      }
      Map<String, String> m = new LinkedHashMap<>();
      n.properties().forEach(e -> m.put(e.getKey(), e.getValue().isValueNode() ? e.getValue().asText()
          : e.getValue().toString()));
      return m;
    } catch (java.io.IOException e) {
      throw new IllegalArgumentException("'" + abbreviate(text) + "' is not a JSON object");
    }
  }

  private static String abbreviate(String s) {
    return s.length() > 60 ? s.substring(0, 60) + "…" : s;
  }

  // ---- compiling field rules ----

  private Evaluator field(String column) {
    if (reader.columns() != null) {
      int idx = reader.indexOf(column);
      if (idx < 0) {
        throw new IllegalArgumentException("the file has no column '" + column + "' (columns: " + reader.columns() + ")");
      }
      return r -> r.get(idx).strip();
    }
    return r -> r.get(column).strip();
  }

  private Evaluator compile(JsonNode rule, String where) {
    if (rule.isTextual()) {
      return field(rule.asText());
    }
    if (!rule.isObject()) {
      throw new IllegalArgumentException("mapping " + where + ": expected a column name or an object");
    }
    for (var it = rule.fieldNames(); it.hasNext(); ) {
      String k = it.next();
      if (!List.of("from", "const", "transform", "map", "strict", "classify", "default", "format", "when", "then",
          "else", "template", "columns").contains(k)) {
        throw new IllegalArgumentException("mapping " + where + ": unknown key '" + k + "'");
      }
    }
    Evaluator base;
    if (rule.has("const")) {
      String c = rule.get("const").asText();
      base = r -> c;
    } else if (rule.has("when")) {
      Predicate<RecordReader> cond = condition(rule.get("when"), where + ".when");
      Evaluator then = rule.has("then") ? compile(constOrRule(rule.get("then")), where + ".then") : r -> "";
      Evaluator otherwise = rule.has("else") ? compile(constOrRule(rule.get("else")), where + ".else") : r -> "";
      base = r -> cond.test(r) ? then.eval(r) : otherwise.eval(r);
    } else if (rule.has("template")) {
      base = template(rule.get("template").asText());
    } else if (rule.has("columns")) {
      List<String> cols = new ArrayList<>();
      rule.get("columns").forEach(c -> cols.add(c.asText()));
      List<Evaluator> evs = cols.stream().map(this::field).toList();
      base = r -> {
        Map<String, String> m = new LinkedHashMap<>();
        for (int i = 0; i < cols.size(); i++) {
          String v = evs.get(i).eval(r);
          if (!v.isEmpty()) {
            m.put(cols.get(i), v);
          }
        }
        return m.isEmpty() ? "" : JSON.valueToTree(m).toString();
      };
    } else if (rule.has("from")) {
      base = field(rule.get("from").asText());
    } else {
      throw new IllegalArgumentException("mapping " + where + ": needs one of from, const, when, template, columns");
    }
    List<java.util.function.UnaryOperator<String>> steps = new ArrayList<>();
    if (rule.has("transform")) {
      JsonNode t = rule.get("transform");
      if (t.isArray()) {
        t.forEach(x -> steps.add(transform(x.asText(), where)));
      } else {
        steps.add(transform(t.asText(), where));
      }
    }
    if (rule.has("map")) {
      Map<String, String> m = new LinkedHashMap<>();
      rule.get("map").properties().forEach(e -> m.put(e.getKey(), e.getValue().asText()));
      boolean strict = rule.path("strict").asBoolean(false);
      steps.add(v -> {
        String mapped = m.get(v);
        if (mapped == null && strict && !v.isEmpty()) {
          throw new IllegalArgumentException("'" + v + "' is not one of " + m.keySet());
        }
        return mapped == null ? v : mapped;
      });
    }
    if (rule.has("classify")) {
      // keyword → class, first match wins, on the lower-cased text
      List<String[]> classes = new ArrayList<>();
      rule.get("classify").properties().forEach(e -> classes.add(new String[] {e.getKey().toLowerCase(Locale.ROOT),
          e.getValue().asText()}));
      String other = rule.path("default").asText("");
      // texts repeat (a catalog of thousands of items over millions of lines): remember each answer
      Map<String, String> memo = new HashMap<>();
      steps.add(v -> {
        String hit = memo.get(v);
        if (hit != null) {
          return hit;
        }
        String low = v.toLowerCase(Locale.ROOT);
        String cls = other;
        for (String[] c : classes) {
          if (low.contains(c[0])) {
            cls = c[1];
            break;
          }
        }
        if (memo.size() < 1_000_000) {
          memo.put(v, cls);
        }
        return cls;
      });
    } else if (rule.has("default")) {
      String d = rule.get("default").asText();
      steps.add(v -> v.isEmpty() ? d : v);
    }
    if (steps.isEmpty()) {
      return base;
    }
    Evaluator b = base;
    return r -> {
      String v = b.eval(r);
      for (var s : steps) {
        v = s.apply(v);
      }
      return v;
    };
  }

  private static JsonNode constOrRule(JsonNode n) {
    return n.isObject() ? n : JSON.createObjectNode().put("const", n.asText());
  }

  private Evaluator template(String t) {
    List<Evaluator> parts = new ArrayList<>();
    int i = 0;
    while (i < t.length()) {
      int open = t.indexOf('{', i);
      if (open < 0) {
        String lit = t.substring(i);
        parts.add(r -> lit);
        break;
      }
      String lit = t.substring(i, open);
      if (!lit.isEmpty()) {
        parts.add(r -> lit);
      }
      int close = t.indexOf('}', open);
      if (close < 0) {
        throw new IllegalArgumentException("template '" + t + "' has an unclosed {");
      }
      parts.add(field(t.substring(open + 1, close)));
      i = close + 1;
    }
    return r -> {
      StringBuilder b = new StringBuilder();
      for (Evaluator p : parts) {
        b.append(p.eval(r));
      }
      return b.toString();
    };
  }

  static java.util.function.UnaryOperator<String> transform(String name, String where) {
    return switch (name) {
      case "trim" -> String::strip;
      case "lower" -> v -> v.toLowerCase(Locale.ROOT);
      case "upper" -> v -> v.toUpperCase(Locale.ROOT);
      case "integer" -> v -> v.isEmpty() ? v : Long.toString(ColumnType.parseLong(v));
      case "digits" -> v -> v.replaceAll("[^0-9]", "");
      case "sha256" -> v -> v.isEmpty() ? v : sha256(v);
      case "email_sha256" -> v -> v.isEmpty() ? v : sha256(normalizeEmail(v));
      case "phone_sha256" -> v -> v.isEmpty() ? v : sha256(normalizePhone(v));
      default -> throw new IllegalArgumentException("mapping " + where + ": unknown transform '" + name
          + "' (trim, lower, upper, integer, digits, sha256, email_sha256, phone_sha256)");
    };
  }

  /** An email as identity resolution compares it: trimmed, lower case. */
  public static String normalizeEmail(String email) {
    return email.strip().toLowerCase(Locale.ROOT);
  }

  /** A phone number as identity resolution compares it: digits only, with a leading + kept. */
  public static String normalizePhone(String phone) {
    String t = phone.strip();
    return (t.startsWith("+") ? "+" : "") + t.replaceAll("[^0-9]", "");
  }

  static String sha256(String v) {
    return Sha256.hex(v);
  }

  // ---- conditions ----

  private Predicate<RecordReader> condition(JsonNode c, String where) {
    if (c.has("all")) {
      List<Predicate<RecordReader>> ps = new ArrayList<>();
      c.get("all").forEach(x -> ps.add(condition(x, where)));
      // evaluated for every record: a plain loop over an array, no stream per test
      @SuppressWarnings("unchecked")
      Predicate<RecordReader>[] all = ps.toArray(new Predicate[0]);
      return r -> {
        for (Predicate<RecordReader> p : all) {
          if (!p.test(r)) {
            return false;
          }
        }
        return true;
      };
    }
    if (c.has("any")) {
      List<Predicate<RecordReader>> ps = new ArrayList<>();
      c.get("any").forEach(x -> ps.add(condition(x, where)));
      @SuppressWarnings("unchecked")
      Predicate<RecordReader>[] any = ps.toArray(new Predicate[0]);
      return r -> {
        for (Predicate<RecordReader> p : any) {
          if (p.test(r)) {
            return true;
          }
        }
        return false;
      };
    }
    if (c.has("not")) {
      return condition(c.get("not"), where).negate();
    }
    if (!c.has("field")) {
      throw new IllegalArgumentException("mapping " + where + ": a condition needs \"field\" (or all/any/not)");
    }
    Evaluator f = field(c.get("field").asText());
    if (c.has("empty")) {
      boolean want = c.get("empty").asBoolean();
      return r -> f.eval(r).isEmpty() == want;
    }
    if (c.has("prefix")) {
      String p = c.get("prefix").asText();
      return r -> f.eval(r).startsWith(p);
    }
    if (c.has("equals")) {
      String p = c.get("equals").asText();
      return r -> f.eval(r).equals(p);
    }
    if (c.has("in")) {
      List<String> vs = new ArrayList<>();
      c.get("in").forEach(x -> vs.add(x.asText()));
      return r -> vs.contains(f.eval(r));
    }
    if (c.has("matches")) {
      Pattern p = Pattern.compile(c.get("matches").asText());
      return r -> p.matcher(f.eval(r)).find();
    }
    for (String op : List.of("lt", "le", "gt", "ge", "eq")) {
      if (c.has(op)) {
        double bound = c.get(op).asDouble();
        return r -> {
          String v = f.eval(r);
          double x;
          try {
            // plain decimals on the fast path; anything else (exponents, NaN) through the JDK
            x = ColumnType.parseDecimal(v) / 10_000.0;
          } catch (RuntimeException e) {
            try {
              x = Double.parseDouble(v);
            } catch (NumberFormatException e2) {
              return false;
            }
          }
          return switch (op) {
            case "lt" -> x < bound;
            case "le" -> x <= bound;
            case "gt" -> x > bound;
            case "ge" -> x >= bound;
            default -> x == bound;
          };
        };
      }
    }
    throw new IllegalArgumentException("mapping " + where + ": unknown condition " + c
        + " (empty, prefix, equals, in, matches, lt, le, gt, ge, eq, all, any, not)");
  }
}
