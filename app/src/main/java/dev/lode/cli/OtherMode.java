package dev.lode.cli;

import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * When a statement failed because it was meant for the other mode of {@code bin/lode sql},
 * says so: a ClickHouse function unknown to Lode SQL (server up) points at {@code --native};
 * a Lode SQL function or {@code TABLE(…)} call unknown to ClickHouse points at the server.
 */
final class OtherMode {
  private static final Pattern LODE_UNKNOWN = Pattern.compile(
      "No match found for function signature ([A-Za-z_][A-Za-z0-9_]*)|Function '([A-Za-z_][A-Za-z0-9_]*)'"
          + " (?:not found|does not exist)|Table function '?([A-Za-z_][A-Za-z0-9_]*)'? not found");
  private static final Pattern NATIVE_UNKNOWN = Pattern.compile(
      "(?:Function with name|Unknown (?:table )?function) [`'\"]?([A-Za-z_][A-Za-z0-9_]*)");

  private OtherMode() {
  }

  /** The hint for {@code reason}, the error of {@code statement} run in {@code mode}, if it names the other mode. */
  static Optional<String> hint(SqlCommand.Mode mode, String reason, String statement, boolean serverOrNativeChosen) {
    if (mode == SqlCommand.Mode.LODE) {
      Matcher m = LODE_UNKNOWN.matcher(reason);
      if (m.find()) {
        String name = m.group(1) != null ? m.group(1) : m.group(2) != null ? m.group(2) : m.group(3);
        return Optional.of(name + " is not a Lode SQL function; to run ClickHouse SQL (every ClickHouse function) on"
            + " the warehouse, use bin/lode sql --native \"...\"");
      }
      return Optional.empty();
    }
    Matcher m = NATIVE_UNKNOWN.matcher(reason);
    boolean unknownFunction = m.find();
    boolean lodeShape = statement.toUpperCase(Locale.ROOT).replaceAll("\\s+", "").contains("TABLE(");
    if (!unknownFunction && !(lodeShape && reason.contains("SYNTAX_ERROR"))) {
      return Optional.empty();
    }
    // ClickHouse reads Lode's TABLE(funnel(...)) as a table function named TABLE
    String what = unknownFunction && !m.group(1).equalsIgnoreCase("table") ? m.group(1) + " is not a ClickHouse function"
        : "TABLE(...) calls are Lode SQL";
    return Optional.of(what + "; this ran as ClickHouse SQL on the warehouse. "
        + (serverOrNativeChosen ? "Drop --native to send Lode SQL (funnel, retention, paths, recommend, ...) through"
            + " the running server" : "Lode SQL (funnel, retention, paths, recommend, ...) needs the SQL layer: start"
            + " bin/lode serve, then bin/lode sql sends Lode SQL through it"));
  }
}
