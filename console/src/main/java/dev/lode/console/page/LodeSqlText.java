package dev.lode.console.page;

/**
 * Values written into Lode SQL text where the language takes only literals (the arguments of
 * table functions): a string literal with its quotes doubled, as Calcite reads it.
 */
final class LodeSqlText {
  private LodeSqlText() {
  }

  static String string(String value) {
    return "'" + value.replace("'", "''") + "'";
  }
}
