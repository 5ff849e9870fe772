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
      int end = SqlScanner.opensQuote(c) ? SqlScanner.quoteEnd(script, i)
          : SqlScanner.opensLineComment(script, i) ? SqlScanner.lineCommentEnd(script, i)
          : SqlScanner.opensBlockComment(script, i) ? SqlScanner.blockCommentEnd(script, i) : i;
      if (end != i) {
        end = end < 0 ? n : end;
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
      if (SqlScanner.opensQuote(c)) {
        i = SqlScanner.quoteEnd(script, i);
        if (i < 0) {
          return false;
        }
        pending = true;
      } else if (SqlScanner.opensLineComment(script, i)) {
        i = SqlScanner.lineCommentEnd(script, i);
      } else if (SqlScanner.opensBlockComment(script, i)) {
        i = SqlScanner.blockCommentEnd(script, i);
        if (i < 0) {
          return false;
        }
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
