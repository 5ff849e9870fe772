package dev.lode.cli;

/**
 * Where the parts of SQL text a statement-level reading must skip end: quoted literals and
 * identifiers ({@code '…'}, {@code "…"}, {@code `…`}, with backslash escapes) and comments
 * ({@code -- …}, {@code /* … *}{@code /}); shared by the CLI's readers of statements.
 */
final class SqlScanner {
  private SqlScanner() {
  }

  /** Whether {@code c} opens a quoted literal or identifier. */
  static boolean opensQuote(char c) {
    return c == '\'' || c == '"' || c == '`';
  }

  /** The index just past the quote opened at {@code i}, or -1 when it is never closed. */
  static int quoteEnd(String sql, int i) {
    char quote = sql.charAt(i);
    int n = sql.length();
    int end = i + 1;
    while (end < n && sql.charAt(end) != quote) {
      end += sql.charAt(end) == '\\' ? 2 : 1;
    }
    return end < n ? end + 1 : -1;
  }

  /** Whether a {@code --} comment starts at {@code i}. */
  static boolean opensLineComment(String sql, int i) {
    return sql.startsWith("--", i);
  }

  /** The index of the line break ending the {@code --} comment at {@code i}, or the text's end. */
  static int lineCommentEnd(String sql, int i) {
    int end = sql.indexOf('\n', i);
    return end < 0 ? sql.length() : end;
  }

  /** Whether a {@code /*} comment starts at {@code i}. */
  static boolean opensBlockComment(String sql, int i) {
    return sql.startsWith("/*", i);
  }

  /** The index just past the {@code *}{@code /} closing the comment at {@code i}, or -1 when it is never closed. */
  static int blockCommentEnd(String sql, int i) {
    int end = sql.indexOf("*/", i + 2);
    return end < 0 ? -1 : end + 2;
  }
}
