package dev.lode.cli;

import java.util.ArrayList;
import java.util.List;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.SqlNodeList;
import org.apache.calcite.sql.SqlOrderBy;
import org.apache.calcite.sql.SqlSelect;
import org.apache.calcite.sql.parser.SqlParseException;
import org.apache.calcite.sql.parser.SqlParser;
import org.apache.calcite.sql.parser.SqlParserPos;
import org.apache.calcite.sql.parser.babel.SqlBabelParserImpl;
import org.apache.calcite.sql.validate.SqlConformanceEnum;

/**
 * Names the columns Calcite leaves unnamed ({@code EXPR$0}, {@code EXPR$1}, …) after the text
 * of their select item, as ClickHouse names its own: {@code SELECT 1 + 1} prints a column
 * {@code 1 + 1}. Labels stay as they are when the statement cannot be matched to its columns.
 */
final class SelectItemNames {
  private SelectItemNames() {
  }

  /** The statements parsed ahead, by their text. */
  private static final java.util.Map<String, java.util.concurrent.Future<List<String>>> AHEAD =
      new java.util.concurrent.ConcurrentHashMap<>();

  /**
   * Parses {@code statements} on a thread of their own, so the parser's start overlaps the
   * connection's and {@link #name} finds the select items ready.
   */
  static void parseAhead(List<String> statements) {
    for (String sql : statements) {
      java.util.concurrent.FutureTask<List<String>> task = new java.util.concurrent.FutureTask<>(() -> items(sql));
      if (AHEAD.putIfAbsent(sql, task) == null) {
        Thread.ofPlatform().daemon().name("lode-sql-parse").start(task);
      }
    }
  }

  static List<String> name(String sql, List<String> labels) {
    if (labels.stream().noneMatch(SelectItemNames::unnamed)) {
      return labels;
    }
    List<String> items = ahead(sql);
    List<String> out = new ArrayList<>(labels);
    for (int i = 0; i < out.size(); i++) {
      if (unnamed(out.get(i))) {
        String text = items.size() == labels.size() ? items.get(i) : null;
        out.set(i, text == null || text.isBlank() || out.contains(text) ? "expr" + (i + 1) : text);
      }
    }
    return out;
  }

  private static List<String> ahead(String sql) {
    java.util.concurrent.Future<List<String>> f = AHEAD.get(sql);
    if (f == null) {
      return items(sql);
    }
    try {
      return f.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return List.of();
    } catch (java.util.concurrent.ExecutionException e) {
      return List.of();
    }
  }

  private static boolean unnamed(String label) {
    return label.matches("EXPR\\$\\d+");
  }

  /** The original text of each select item of the outermost SELECT, or an empty list. */
  private static List<String> items(String sql) {
    SqlNode node;
    try {
      node = SqlParser.create(sql, SqlParser.config().withParserFactory(SqlBabelParserImpl.FACTORY)
          .withConformance(SqlConformanceEnum.BABEL)).parseQuery();
    } catch (SqlParseException | RuntimeException e) {
      return List.of();
    }
    if (node instanceof SqlOrderBy o) {
      node = o.query;
    }
    if (!(node instanceof SqlSelect select)) {
      return List.of();
    }
    SqlNodeList list = select.getSelectList();
    List<String> out = new ArrayList<>();
    String[] lines = sql.split("\n", -1);
    for (SqlNode item : list) {
      if (item.toString().contains("*")) {
        return List.of();
      }
      out.add(text(lines, item.getParserPosition()));
    }
    return out;
  }

  private static String text(String[] lines, SqlParserPos pos) {
    if (pos.getLineNum() != pos.getEndLineNum() || pos.getLineNum() < 1 || pos.getLineNum() > lines.length) {
      return null;
    }
    String line = lines[pos.getLineNum() - 1];
    int from = pos.getColumnNum() - 1;
    int to = pos.getEndColumnNum();
    return from >= 0 && to <= line.length() && from < to ? line.substring(from, to).strip() : null;
  }
}
