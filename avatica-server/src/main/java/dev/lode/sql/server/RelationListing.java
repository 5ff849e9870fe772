package dev.lode.sql.server;

import java.util.List;
import java.util.Locale;

/**
 * What {@code getTables} lists and how it types it: every relation a client can select from,
 * typed {@code TABLE} whatever ClickHouse made it (analysts and viewers read masked views, and
 * BI tools such as Superset's phoenix dialect list only type TABLE), and none a client cannot
 * select — a report's parameterized view {@code report_<name>_with} is readable only as
 * {@code report_<name>_with(p=…)} from ClickHouse itself, which Calcite's SQL cannot express.
 */
final class RelationListing {
  static final String TABLE = "TABLE";
  /** Calcite's own metadata tables keep their type. */
  static final String SYSTEM_TABLE = "SYSTEM TABLE";

  private RelationListing() {
  }

  /** Whether a client can select from relation {@code name}. */
  static boolean selectable(String name) {
    String n = name.toLowerCase(Locale.ROOT);
    return !(n.startsWith("report_") && n.endsWith("_with"));
  }

  /** The type a client sees for a relation Calcite reports as {@code calciteType}. */
  static String typeOf(String calciteType) {
    return SYSTEM_TABLE.equals(calciteType) ? SYSTEM_TABLE : TABLE;
  }

  /** Whether a relation of (listed) {@code type} is asked for by {@code types} (null: every type). */
  static boolean asked(String type, List<String> types) {
    return types == null || types.stream().anyMatch(t -> t.equalsIgnoreCase(type));
  }
}
