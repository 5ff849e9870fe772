package dev.lode.console;

import java.util.List;

/** One statement's answer as the console shows it: column names and types, the rows, and how long it took. */
public record SqlResult(List<String> columns, List<String> types, List<List<Object>> rows, boolean truncated,
                        long millis) {

  /** The index of column {@code name} (any letter case), or -1. */
  public int column(String name) {
    for (int i = 0; i < columns.size(); i++) {
      if (columns.get(i).equalsIgnoreCase(name)) {
        return i;
      }
    }
    return -1;
  }

  /** The rows as maps from lower-case column name to value, for templates. */
  public List<java.util.Map<String, Object>> records() {
    return rows.stream().map(r -> {
      java.util.Map<String, Object> m = new java.util.LinkedHashMap<>();
      for (int i = 0; i < columns.size(); i++) {
        m.put(columns.get(i).toLowerCase(java.util.Locale.ROOT), r.get(i));
      }
      return m;
    }).toList();
  }
}
