package dev.lode.cli;

import dev.lode.config.Credentials;
import dev.lode.config.LodeConfig;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Properties;

/**
 * The quick path of {@code bin/lode sql} for what scripts run most: one SELECT (the argument,
 * {@code -f FILE} or standard input) against a running server, with {@code --format} and
 * {@code --max-rows}, answered over Avatica's JSON protocol ({@link AvaticaJsonSession}) before
 * picocli, the Avatica driver, Calcite or a logging backend is loaded — their start was most of
 * a one-statement run's. Everything else goes to the full command, which prints the same
 * result: another option or {@code --help}, the shell, several statements, no server, a
 * statement that is not a SELECT or whose result has a column type {@link FrameRows} does not
 * read, and an error before the statement ran (the full command reports it). A SELECT the server
 * failed while running is reported here, as the full command words it, rather than run again.
 */
final class QuickSql {
  private String sql;
  private Path file;
  private SqlFormat format = SqlFormat.TABLE;
  private long maxRows = 10_000;

  private QuickSql() {
  }

  /** The exit code when the quick path answered {@code argv}, else empty (the full command runs it). */
  static OptionalInt run(String[] argv) {
    if (argv.length == 0 || !argv[0].equals("sql")
        || "off".equals(System.getProperty("lode.sql.quick", System.getenv("LODE_SQL_QUICK")))) {
      return OptionalInt.empty();
    }
    QuickSql q = new QuickSql();
    try {
      return q.parse(argv) ? q.answer() : OptionalInt.empty();
    } catch (IOException | RuntimeException e) {
      // whatever went wrong here, the full command meets it again and says so in its words
      return OptionalInt.empty();
    }
  }

  /** Reads the options the quick path takes; false on any other (the full command parses and explains them). */
  private boolean parse(String[] argv) {
    for (int i = 1; i < argv.length; i++) {
      String a = argv[i];
      String value = null;
      int eq = a.indexOf('=');
      String name = a.startsWith("--") && eq > 0 ? a.substring(0, eq) : a;
      if (a.startsWith("--") && eq > 0) {
        value = a.substring(eq + 1);
      } else if ((a.equals("--format") || a.equals("--max-rows") || a.equals("-f") || a.equals("--file"))
          && i + 1 < argv.length) {
        value = argv[++i];
      }
      switch (name) {
        case "--format" -> {
          if (value == null) {
            return false;
          }
          format = SqlFormat.valueOf(value.toUpperCase(Locale.ROOT));
        }
        case "--max-rows" -> {
          if (value == null) {
            return false;
          }
          maxRows = Long.parseLong(value);
        }
        case "-f", "--file" -> {
          if (value == null || file != null) {
            return false;
          }
          file = Path.of(value);
        }
        default -> {
          if (a.startsWith("-") || sql != null) {
            return false;
          }
          sql = a;
        }
      }
    }
    return !(sql != null && file != null) && maxRows >= 0;
  }

  private OptionalInt answer() throws IOException {
    String script;
    if (sql != null) {
      script = sql;
    } else if (file != null) {
      if (!Files.isRegularFile(file)) {
        return OptionalInt.empty();
      }
      script = Files.readString(file);
    } else if (System.console() != null) {
      // stdin and stdout at a terminal: the shell
      return OptionalInt.empty();
    } else {
      byte[] in = System.in.readAllBytes();
      // the full command, if it takes over, reads the same script
      System.setIn(new ByteArrayInputStream(in));
      script = new String(in, StandardCharsets.UTF_8);
    }
    List<String> statements = StatementSplitter.split(script);
    if (statements.size() != 1) {
      return OptionalInt.empty();
    }
    String statement = statements.get(0);
    LodeConfig config = LodeConfig.load();
    Optional<Properties> running = RunFile.read(config);
    if (running.isEmpty() || running.get().getProperty("url") == null) {
      return OptionalInt.empty();
    }
    Credentials.User user = Credentials.load(config).users().get(config.get("lode.sql.user", "admin"));
    if (user == null) {
      return OptionalInt.empty();
    }
    try (AvaticaJsonSession session = new AvaticaJsonSession(running.get().getProperty("url"), user.name(),
        user.password())) {
      AvaticaJsonSession.Prepared p = session.prepare(statement);
      if (!"SELECT".equals(p.statementType()) || !FrameRows.decodes(p.columns())) {
        return OptionalInt.empty();
      }
      AvaticaJsonSession.Frame first;
      try {
        first = session.execute(p);
      } catch (AvaticaJsonSession.Failure e) {
        if (!e.fromServer()) {
          return OptionalInt.empty();
        }
        // the statement ran and failed: handing over would run it (and audit it) a second time
        String reason = SqlCommand.reason("Remote driver error: " + e.serverMessage());
        System.err.println("error: " + reason);
        OtherMode.hint(SqlCommand.Mode.LODE, reason, statement, true).ifPresent(h -> System.err.println("hint: " + h));
        return OptionalInt.of(Lode.FAILED);
      }
      FrameRows rows = new FrameRows(session, p, first);
      DemoState.warnWhileLoading(config);
      try {
        format.printer().print(rows, columns(p, statement), System.out, maxRows);
      } catch (SQLException e) {
        // a later frame failed with part of the result printed: too late to hand over
        System.out.flush();
        System.err.println("error: " + SqlCommand.reason(e.getMessage()));
        return OptionalInt.of(Lode.FAILED);
      }
      System.out.flush();
      return OptionalInt.of(0);
    } catch (AvaticaJsonSession.Failure e) {
      return OptionalInt.empty();
    }
  }

  @SuppressWarnings("unchecked")
  private static ResultColumns columns(AvaticaJsonSession.Prepared p, String statement) {
    List<String> labels = new ArrayList<>();
    List<Integer> types = new ArrayList<>();
    List<String> typeNames = new ArrayList<>();
    for (Map<String, Object> c : p.columns()) {
      Map<String, Object> t = (Map<String, Object>) c.get("type");
      labels.add((String) c.get("label"));
      types.add(t.get("id") instanceof AvaticaJsonSession.JsonNumber n ? (int) n.longValue() : java.sql.Types.OTHER);
      typeNames.add((String) t.get("name"));
    }
    return ResultColumns.of(labels, types, typeNames, statement);
  }
}
