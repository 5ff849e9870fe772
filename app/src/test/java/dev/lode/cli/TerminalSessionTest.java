package dev.lode.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lode.app.LodeCli;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code bin/lode} at a real terminal: util-linux's {@code script} gives the commands a
 * pseudo-terminal, with what a person types piped into it. {@code load} redraws a progress bar
 * with percentage and ETA in place on stderr; {@code sql} with no statement starts the shell,
 * runs a statement typed over two lines, keeps a ';' inside quotes, goes on after an error,
 * leaves at {@code \q}, and keeps the two-line statement as one history entry. The count it
 * prints is compared with the rows the load said it wrote.
 */
class TerminalSessionTest {
  private static final Path SCRIPT = Path.of("/usr/bin/script");

  @TempDir
  Path home;

  @TempDir
  Path cwd;

  @Test
  void progressBarAndShellAtATerminal() throws Exception {
    Assumptions.assumeTrue(Files.isExecutable(SCRIPT), "util-linux script(1) gives the commands a terminal");
    try (InputStream in = TerminalSessionTest.class.getResourceAsStream("/lode/demo/online-retail-sample.csv.gz")) {
      Files.copy(in, cwd.resolve("orders.csv.gz"));
    }
    String lode = LodeCli.launcher().toString();
    // a pseudo-terminal without a parent terminal has no size; a person's has one
    String commands = "stty cols 120 rows 40 && " + lode + " load orders orders.csv.gz --mapping online-retail"
        + " --no-resolve && " + lode + " sql --format csv";
    String typed = "SELECT count() AS n\nFROM order_lines;\nSELECT 1 AS one, 'a;b' AS s;\nSELECT nope;\n\\q\n";
    ProcessBuilder pb = new ProcessBuilder(List.of(SCRIPT.toString(), "-qec", commands, "/dev/null"))
        .directory(cwd.toFile()).redirectErrorStream(true);
    pb.environment().put("LODE_HOME", home.toString());
    pb.environment().put("LODE_CLASSPATH", System.getProperty("java.class.path"));
    pb.environment().put("LODE_JAVA_HOME", System.getProperty("java.home"));
    pb.environment().put("LODE_JAVA_OPTS", "-Xmx1g -Dlode.http.port=0 -Dlode.demo.enabled=false");
    pb.environment().put("TERM", "xterm");
    Process p = pb.start();
    try (var stdin = p.getOutputStream()) {
      stdin.write(typed.getBytes(StandardCharsets.UTF_8));
    }
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(180, TimeUnit.SECONDS), out);
    assertEquals(0, p.exitValue(), out);

    // the bar is redrawn in place (carriage returns) with a percentage and elapsed / remaining time
    assertTrue(Pattern.compile("\rload orders\\.csv\\.gz +\\d+%.*\\(\\d+:\\d\\d:\\d\\d / \\d+:\\d\\d:\\d\\d\\)")
        .matcher(out).find(), out);
    assertTrue(out.contains("100%"), out);

    Matcher loaded = Pattern.compile("loaded +([\\d,]+)").matcher(out);
    assertTrue(loaded.find(), out);
    String rows = loaded.group(1).replace(",", "");
    // csv on the terminal: the header (after the prompt), then the value, each on its own line
    assertTrue(Pattern.compile("(?m)n\r?\n" + rows + "\r?$").matcher(out).find(), rows + " rows expected in\n" + out);
    assertTrue(Pattern.compile("(?m)one,s\r?\n1,a;b\r?$").matcher(out).find(), out);
    assertTrue(out.contains("error: ") && out.contains("nope"), out);
    assertTrue(out.contains("lode> "), "the prompt\n" + out);

    List<String> history = Files.readAllLines(home.resolve("data").resolve("sql.history"));
    assertTrue(history.stream().anyMatch(l -> l.endsWith(":SELECT count() AS n\\nFROM order_lines;")),
        String.join("\n", history));
  }
}
