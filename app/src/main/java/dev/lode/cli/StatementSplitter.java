package dev.lode.cli;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits a script into statements at semicolons that are outside quotes ({@code '…'},
 * {@code "…"}, {@code `…`}) and comments ({@code -- …}, {@code /* … *}{@code /}); blank
 * statements are dropped.
 */
final class StatementSplitter {
  private StatementSplitter() {
  }

  static List<String> split(String script) {
    List<String> out = new ArrayList<>();
    StringBuilder current = new StringBuilder();
    int i = 0;
    int n = script.length();
    while (i < n) {
      char c = script.charAt(i);
      if (c == '\'' || c == '"' || c == '`') {
        int end = i + 1;
        while (end < n && script.charAt(end) != c) {
          end += script.charAt(end) == '\\' ? 2 : 1;
        }
        end = Math.min(end + 1, n);
        current.append(script, i, end);
        i = end;
      } else if (c == '-' && i + 1 < n && script.charAt(i + 1) == '-') {
        int end = script.indexOf('\n', i);
        end = end < 0 ? n : end;
        current.append(script, i, end);
        i = end;
      } else if (c == '/' && i + 1 < n && script.charAt(i + 1) == '*') {
        int end = script.indexOf("*/", i + 2);
        end = end < 0 ? n : end + 2;
        current.append(script, i, end);
        i = end;
      } else if (c == ';') {
        add(out, current);
        current.setLength(0);
        i++;
      } else {
        current.append(c);
        i++;
      }
    }
    add(out, current);
    return out;
  }

  /**
   * True when the script's last statement is ended: nothing but blanks and comments follows its
   * {@code ;}, and no quote or block comment is left open (a shell runs the text then).
   */
  static boolean ended(String script) {
    boolean pending = false;
    int i = 0;
    int n = script.length();
    while (i < n) {
      char c = script.charAt(i);
      if (c == '\'' || c == '"' || c == '`') {
        int end = i + 1;
        while (end < n && script.charAt(end) != c) {
          end += script.charAt(end) == '\\' ? 2 : 1;
        }
        if (end >= n) {
          return false;
        }
        pending = true;
        i = end + 1;
      } else if (c == '-' && i + 1 < n && script.charAt(i + 1) == '-') {
        int end = script.indexOf('\n', i);
        i = end < 0 ? n : end;
      } else if (c == '/' && i + 1 < n && script.charAt(i + 1) == '*') {
        int end = script.indexOf("*/", i + 2);
        if (end < 0) {
          return false;
        }
        i = end + 2;
      } else {
        if (c == ';') {
          pending = false;
        } else if (!Character.isWhitespace(c)) {
          pending = true;
        }
        i++;
      }
    }
    return !pending;
  }

  private static void add(List<String> out, StringBuilder statement) {
    String s = statement.toString().strip();
    if (!s.isEmpty() && !onlyComments(s)) {
      out.add(s);
    }
  }

  private static boolean onlyComments(String s) {
    return s.replaceAll("(?s)/\\*.*?\\*/", "").replaceAll("(?m)--.*$", "").isBlank();
  }
}
