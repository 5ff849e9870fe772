package dev.lode.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lode.app.LodeCli;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * Every command and subcommand answers {@code --help} and {@code -h} with its usage, options
 * and examples on stdout, exit code 0, and does nothing else: no data directory is created,
 * and {@code forget --help} erases no one even with an id and {@code --yes} beside it.
 */
class CommandHelpTest {
  @TempDir
  Path home;

  /** The command paths under the root, e.g. [sql], [tags, refresh]. */
  private static List<List<String>> paths(CommandLine cl, List<String> prefix) {
    List<List<String>> out = new ArrayList<>();
    cl.getSubcommands().forEach((name, sub) -> {
      if (name.equals("help")) {
        return;
      }
      List<String> path = new ArrayList<>(prefix);
      path.add(name);
      out.add(path);
      out.addAll(paths(sub, path));
    });
    return out;
  }

  private record Run(int code, String out, String err) {
  }

  private static Run run(List<String> args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = Lode.run(new PrintWriter(out, true), new PrintWriter(err, true), args.toArray(String[]::new));
    return new Run(code, out.toString(), err.toString());
  }

  @Test
  void everyCommandHasHelpOnStdoutAndDoesNothingElse() throws Exception {
    String before = System.getProperty("lode.home");
    System.setProperty("lode.home", home.toString());
    try {
      List<List<String>> paths = paths(Lode.commandLine(), List.of());
      assertTrue(paths.size() >= 21, "commands and subcommands: " + paths);
      for (List<String> path : paths) {
        for (String flag : List.of("--help", "-h")) {
          List<String> args = new ArrayList<>(path);
          args.add(flag);
          Run r = run(args);
          assertEquals(0, r.code(), args + "\n" + r.err());
          assertTrue(r.out().startsWith("Usage: lode " + String.join(" ", path)), args + "\n" + r.out());
          assertTrue(r.out().contains("-h, --help") && r.out().contains("Examples:\n  bin/lode " + path.get(0)),
              args + "\n" + r.out());
          assertEquals("", r.err(), args.toString());
        }
        if (path.size() == 1) {
          Run viaHelp = run(List.of("help", path.get(0)));
          assertEquals(0, viaHelp.code());
          assertEquals(run(List.of(path.get(0), "--help")).out(), viaHelp.out(), "help " + path.get(0));
        }
      }
      // an option the destructive command would act on does not turn help into an erasure
      Run forget = run(List.of("forget", "--id", "dave@example.com", "--yes", "--help"));
      assertEquals(0, forget.code());
      assertTrue(forget.out().startsWith("Usage: lode forget"), forget.out());
    } finally {
      if (before == null) {
        System.clearProperty("lode.home");
      } else {
        System.setProperty("lode.home", before);
      }
    }
    try (Stream<Path> left = Files.list(home)) {
      assertEquals(List.of(), left.toList(), "help wrote nothing under the Lode home");
    }
  }

  @Test
  void theRealMainAnswersHelpAndUsageErrorsWithTheDocumentedExitCodes() throws Exception {
    LodeCli cli = new LodeCli(home);
    LodeCli.Result root = cli.run("-h");
    assertEquals(0, root.code(), root.out());
    assertTrue(root.out().startsWith("Usage: lode [-hV] COMMAND") && root.out().contains("Exit codes: 0 ok, 1 failed"),
        root.out());
    LodeCli.Result helpSql = cli.run("help", "sql");
    assertEquals(0, helpSql.code(), helpSql.out());
    assertTrue(helpSql.out().startsWith("Usage: lode sql") && helpSql.out().contains("--format"), helpSql.out());
    for (String flag : List.of("--help", "-h")) {
      LodeCli.Result sql = cli.run("sql", flag);
      assertEquals(0, sql.code(), sql.out());
      assertTrue(sql.out().startsWith("Usage: lode sql"), "sent as SQL? " + sql.out());
      LodeCli.Result forget = cli.run("forget", flag);
      assertEquals(0, forget.code(), forget.out());
      assertTrue(forget.out().startsWith("Usage: lode forget") && !forget.out().contains("erasureId"), forget.out());
    }
    assertFalse(Files.exists(home.resolve("data")), "no command opened the warehouse for --help");

    LodeCli.Result unknown = cli.run("sqll");
    assertEquals(2, unknown.code(), unknown.out());
    assertTrue(unknown.out().contains("Did you mean: lode sql?"), unknown.out());
    LodeCli.Result noId = cli.run("forget", "dave@example.com");
    assertEquals(2, noId.code(), noId.out());
    assertTrue(noId.out().contains("Missing required option: '--id=ID'"), noId.out());

    // and nothing was erased or suppressed: the warehouse opened now holds no erasure record
    LodeCli.Result records = cli.run("sql", "--native", "SELECT (SELECT count() FROM erasures) AS erasures,"
        + " (SELECT count() FROM suppressed_ids) AS suppressed");
    assertEquals(0, records.code(), records.out());
    assertTrue(records.out().matches("(?s)erasures \\| suppressed\\n-+-\\+-+\\n\\s+0 \\|\\s+0\\n\\(1 row\\)\\n"),
        records.out());
  }
}
