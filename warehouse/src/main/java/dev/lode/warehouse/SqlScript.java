package dev.lode.warehouse;

import java.util.ArrayList;
import java.util.List;

/** Splits a SQL script into statements on semicolons outside quotes and comments. */
public final class SqlScript {
  private SqlScript() {
  }

  public static List<String> statements(String script) {
    List<String> out = new ArrayList<>();
    StringBuilder cur = new StringBuilder();
    int n = script.length();
    for (int i = 0; i < n; i++) {
      char c = script.charAt(i);
      if (c == '-' && i + 1 < n && script.charAt(i + 1) == '-') {
        while (i < n && script.charAt(i) != '\n') {
          i++;
        }
        cur.append('\n');
      } else if (c == '\'' || c == '"' || c == '`') {
        cur.append(c);
        i++;
        while (i < n) {
          char d = script.charAt(i);
          cur.append(d);
          if (d == '\\' && i + 1 < n) {
            cur.append(script.charAt(++i));
          } else if (d == c) {
            break;
          }
          i++;
        }
      } else if (c == ';') {
        add(out, cur);
      } else {
        cur.append(c);
      }
    }
    add(out, cur);
    return out;
  }

  private static void add(List<String> out, StringBuilder cur) {
    String s = cur.toString().strip();
    if (!s.isEmpty()) {
      out.add(s);
    }
    cur.setLength(0);
  }
}
