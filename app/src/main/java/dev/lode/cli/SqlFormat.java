package dev.lode.cli;

import java.util.Locale;

/** How {@code bin/lode sql} prints a result: an aligned table, CSV, TSV, JSON or one column per line. */
enum SqlFormat {
  TABLE, CSV, TSV, JSON, VERTICAL;

  /** The printer for this format. */
  ResultPrinter printer() {
    return switch (this) {
      case TABLE -> new TablePrinter();
      case CSV -> new DelimitedPrinter(',');
      case TSV -> new DelimitedPrinter('\t');
      case JSON -> new JsonPrinter();
      case VERTICAL -> new VerticalPrinter();
    };
  }

  @Override
  public String toString() {
    return name().toLowerCase(Locale.ROOT);
  }
}
