package dev.lode.sql.behavior;

import java.util.ArrayList;
import java.util.List;

/**
 * One step of a funnel (or the event of a trend or retention): event names, optionally
 * alternatives and conditions on event fields, written
 * {@code add_to_cart}, {@code checkout|purchase}, {@code page_view[page=/pricing]} or
 * {@code purchase[country=UK & properties.plan!=free]}; {@code *} matches any event.
 *
 * @param label    the step as written
 * @param sql      the ClickHouse condition selecting its events
 * @param personal whether a condition names a field analysts see masked ({@link EventField#personal})
 * @param fields   the fields its conditions name, as written
 */
record EventPredicate(String label, String sql, boolean personal, List<String> fields) {
  static final int MAX_STEPS = 32;

  /** Parses one event specification; {@code argument} names the function argument in errors. */
  static EventPredicate parse(String argument, String spec) {
    String s = spec == null ? "" : spec.trim();
    if (s.isEmpty()) {
      throw new IllegalArgumentException(argument + ": empty event; give an event name such as page_view");
    }
    String names = s;
    String conditions = null;
    int open = s.indexOf('[');
    if (open >= 0) {
      if (!s.endsWith("]")) {
        throw new IllegalArgumentException(argument + ": '" + s + "' opens [ without closing it at the end");
      }
      names = s.substring(0, open).trim();
      conditions = s.substring(open + 1, s.length() - 1).trim();
    }
    List<String> parts = new ArrayList<>();
    List<String> nameLiterals = new ArrayList<>();
    boolean any = false;
    for (String n : names.split("\\|", -1)) {
      String name = n.trim();
      if (name.equals("*")) {
        any = true;
      } else if (!name.matches("[^\\[\\],|&]{1,200}")) {
        throw new IllegalArgumentException(argument + ": '" + name + "' in '" + s + "' is not an event name");
      } else {
        nameLiterals.add(ClickHouseLiteral.string(name));
      }
    }
    if (!any) {
      parts.add(nameLiterals.size() == 1 ? "event_name = " + nameLiterals.get(0)
          : "event_name IN (" + String.join(", ", nameLiterals) + ")");
    }
    boolean personal = false;
    List<String> fields = new ArrayList<>();
    if (conditions != null && !conditions.isEmpty()) {
      for (String c : conditions.split("&|(?i)\\s+and\\s+")) {
        parts.add(condition(argument, s, c.trim()));
        int eq = c.indexOf('=');
        String field = c.substring(0, eq).replace("!", "").trim();
        fields.add(field);
        personal |= EventField.personal(field);
      }
    }
    return new EventPredicate(s, parts.isEmpty() ? "1" : "(" + String.join(" AND ", parts) + ")", personal,
        List.copyOf(fields));
  }

  private static String condition(String argument, String step, String c) {
    int ne = c.indexOf("!=");
    int eq = c.indexOf('=');
    if (eq <= 0) {
      throw new IllegalArgumentException(argument + ": condition '" + c + "' in '" + step
          + "' must be field=value or field!=value");
    }
    boolean negate = ne > 0 && ne == eq - 1;
    String field = c.substring(0, negate ? ne : eq).trim();
    String value = c.substring(eq + 1).trim();
    if (value.length() >= 2 && (value.startsWith("\"") && value.endsWith("\"")
        || value.startsWith("'") && value.endsWith("'"))) {
      value = value.substring(1, value.length() - 1);
    }
    return EventField.expression(argument, field) + (negate ? " != " : " = ") + ClickHouseLiteral.string(value);
  }

  /** Parses a comma-separated list of steps. */
  static List<EventPredicate> parseSteps(String argument, String steps) {
    if (steps == null || steps.isBlank()) {
      throw new IllegalArgumentException(argument + ": give at least one step, e.g. 'page_view,add_to_cart,purchase'");
    }
    List<EventPredicate> out = new ArrayList<>();
    for (String step : splitSteps(steps)) {
      out.add(parse(argument, step));
    }
    if (out.size() > MAX_STEPS) {
      throw new IllegalArgumentException(argument + ": " + out.size() + " steps; at most " + MAX_STEPS);
    }
    return out;
  }

  /** Splits on commas outside brackets and quotes. */
  private static List<String> splitSteps(String steps) {
    List<String> out = new ArrayList<>();
    int depth = 0;
    char quote = 0;
    StringBuilder cur = new StringBuilder();
    for (char ch : steps.toCharArray()) {
      if (quote != 0) {
        if (ch == quote) {
          quote = 0;
        }
      } else if (ch == '"' || ch == '\'') {
        quote = depth > 0 ? ch : 0;
      } else if (ch == '[') {
        depth++;
      } else if (ch == ']') {
        depth--;
      } else if (ch == ',' && depth == 0) {
        out.add(cur.toString());
        cur.setLength(0);
        continue;
      }
      cur.append(ch);
    }
    out.add(cur.toString());
    return out;
  }
}
