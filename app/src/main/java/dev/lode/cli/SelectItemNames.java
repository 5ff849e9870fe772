package dev.lode.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Names the columns Calcite leaves unnamed ({@code EXPR$0}, {@code EXPR$1}, …) after the text
 * of their select item, as ClickHouse names its own: {@code SELECT 1 + 1} prints a column
 * {@code 1 + 1}. The select items are found by a scan of the statement's tokens (quotes,
 * comments and parentheses respected), not by Calcite's parser, whose start cost a
 * one-statement {@code bin/lode sql} a quarter of a second. Labels stay as they are when the
 * statement cannot be matched to its columns (not a plain SELECT, a {@code *}, a set
 * operation, an item over several lines).
 */
final class SelectItemNames {
  /** The keywords that end a select list at the outermost level. */
  private static final Set<String> LIST_END = Set.of("FROM", "WHERE", "GROUP", "HAVING", "WINDOW", "QUALIFY", "ORDER",
      "LIMIT", "OFFSET", "FETCH", "INTO");
  /** Set operations: their columns are named after the first branch, which this does not attempt. */
  private static final Set<String> SET_OPERATIONS = Set.of("UNION", "INTERSECT", "EXCEPT", "MINUS");

  private SelectItemNames() {
  }

  static List<String> name(String sql, List<String> labels) {
    if (labels.stream().noneMatch(SelectItemNames::unnamed)) {
      return labels;
    }
    List<String> items = items(sql);
    List<String> out = new ArrayList<>(labels);
    for (int i = 0; i < out.size(); i++) {
      if (unnamed(out.get(i))) {
        String text = items.size() == labels.size() ? items.get(i) : null;
        out.set(i, text == null || text.isBlank() || out.contains(text) ? "expr" + (i + 1) : text);
      }
    }
    return out;
  }

  private static boolean unnamed(String label) {
    return label.matches("EXPR\\$\\d+");
  }

  /** The original text of each select item of the outermost SELECT (null for one over several lines), or none. */
  static List<String> items(String sql) {
    List<String> out = new ArrayList<>();
    int n = sql.length();
    int depth = 0;
    int itemStart = -1;
    boolean first = true;
    int i = 0;
    while (i < n) {
      char c = sql.charAt(i);
      if (Character.isWhitespace(c)) {
        i++;
      } else if (SqlScanner.opensLineComment(sql, i)) {
        i = SqlScanner.lineCommentEnd(sql, i);
      } else if (SqlScanner.opensBlockComment(sql, i)) {
        int end = SqlScanner.blockCommentEnd(sql, i);
        i = end < 0 ? n : end;
      } else if (first) {
        // the statement must open with SELECT [ALL | DISTINCT]
        int end = word(sql, i);
        if (!sql.substring(i, end).equalsIgnoreCase("SELECT")) {
          return List.of();
        }
        first = false;
        i = end;
        int next = skipBlank(sql, i);
        String w = sql.substring(next, word(sql, next)).toUpperCase(Locale.ROOT);
        if (w.equals("ALL") || w.equals("DISTINCT")) {
          i = word(sql, next);
        }
      } else if (SqlScanner.opensQuote(c)) {
        itemStart = itemStart < 0 ? i : itemStart;
        int end = SqlScanner.quoteEnd(sql, i);
        i = end < 0 ? n : end;
      } else if (c == '(' || c == '[') {
        itemStart = itemStart < 0 ? i : itemStart;
        depth++;
        i++;
      } else if (c == ')' || c == ']') {
        depth--;
        i++;
        if (depth < 0) {
          return List.of();
        }
      } else if (depth == 0 && (c == ',' || c == ';')) {
        if (!add(out, sql, itemStart, i)) {
          return List.of();
        }
        itemStart = -1;
        i++;
        if (c == ';') {
          return out;
        }
      } else if (Character.isLetter(c) || c == '_') {
        int end = word(sql, i);
        String w = sql.substring(i, end).toUpperCase(Locale.ROOT);
        if (depth == 0 && SET_OPERATIONS.contains(w)) {
          return List.of();
        }
        if (depth == 0 && LIST_END.contains(w)) {
          return add(out, sql, itemStart, i) && !setOperationFollows(sql, end) ? out : List.of();
        }
        itemStart = itemStart < 0 ? i : itemStart;
        i = end;
      } else {
        itemStart = itemStart < 0 ? i : itemStart;
        i++;
      }
    }
    return !first && depth == 0 && add(out, sql, itemStart, n) ? out : List.of();
  }

  /** Adds the item {@code sql[from, to)}; false when the list cannot be matched to columns. */
  private static boolean add(List<String> out, String sql, int from, int to) {
    if (from < 0) {
      return false;
    }
    String text = sql.substring(from, to).strip();
    if (text.contains("*")) {
      return false;
    }
    out.add(text.contains("\n") ? null : text);
    return true;
  }

  /** Whether a set operation follows at the outermost level after the select list. */
  private static boolean setOperationFollows(String sql, int from) {
    int depth = 0;
    int i = from;
    int n = sql.length();
    while (i < n) {
      char c = sql.charAt(i);
      if (SqlScanner.opensQuote(c)) {
        int end = SqlScanner.quoteEnd(sql, i);
        i = end < 0 ? n : end;
      } else if (c == '(') {
        depth++;
        i++;
      } else if (c == ')') {
        depth--;
        i++;
      } else if (Character.isLetter(c)) {
        int end = word(sql, i);
        if (depth == 0 && SET_OPERATIONS.contains(sql.substring(i, end).toUpperCase(Locale.ROOT))) {
          return true;
        }
        i = end;
      } else {
        i++;
      }
    }
    return false;
  }

  private static int word(String sql, int from) {
    int i = from;
    while (i < sql.length() && (Character.isLetterOrDigit(sql.charAt(i)) || sql.charAt(i) == '_'
        || sql.charAt(i) == '$')) {
      i++;
    }
    return i;
  }

  private static int skipBlank(String sql, int from) {
    int i = from;
    while (i < sql.length() && Character.isWhitespace(sql.charAt(i))) {
      i++;
    }
    return i;
  }
}
