package dev.lode.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lode.app.LodeCli;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code bin/lode sql} without a server, as a user runs it: values print as ClickHouse itself
 * writes them (compared with the engine's own {@code toString} of the same values), each
 * format is what its readers parse, statements come from stdin and from a file named relative
 * to the caller's directory, and a Lode SQL statement sent to bare ClickHouse points at the
 * server. Through the launcher, {@code load} and {@code report run --out} take paths relative
 * to the directory they are run from.
 */
class SqlCliTest {
  @TempDir
  Path home;

  @TempDir
  Path cwd;

  private static final String VALUES = "[1, 2] AS a, (1, 'x') AS t, 0.1 + 0.2 AS d, 6.99e-6 AS e, [[1], [2, 3]] AS n";

  @Test
  void valuesFormatsInputsAndTheOtherModesHint() throws Exception {
    LodeCli cli = new LodeCli(home);
    // the printed values against ClickHouse's own text for them (toString in the engine)
    LodeCli.Result tsv = cli.run("sql", "--native", "--format", "tsv", "SELECT " + VALUES
        + ", toString(a) AS a_ch, toString(t) AS t_ch, toString(d) AS d_ch, toString(e) AS e_ch, toString(n) AS n_ch");
    assertEquals(0, tsv.code(), tsv.out());
    String[] lines = tsv.out().split("\n");
    assertEquals("a\tt\td\te\tn\ta_ch\tt_ch\td_ch\te_ch\tn_ch", lines[0]);
    String[] cells = lines[1].split("\t");
    for (int i = 0; i < 5; i++) {
      assertEquals(cells[i + 5].replace("\\'", "'"), cells[i], "column " + i + ": " + lines[1]);
    }
    assertEquals("[1,2]", cells[0]);
    assertEquals("(1,'x')", cells[1]);
    assertEquals("0.00000699", cells[3], "no exponent, shortest digits");

    LodeCli.Result json = cli.run("sql", "--native", "--format", "json", "SELECT " + VALUES + ", NULL AS z, 'a\"b' AS s");
    assertEquals(0, json.code(), json.out());
    JsonNode rows = new ObjectMapper().readTree(json.out());
    assertEquals(1, rows.size());
    JsonNode r = rows.get(0);
    assertEquals("[1,2]", r.get("a").toString());
    assertEquals(0.1 + 0.2, r.get("d").asDouble(), 0.0);
    assertEquals(6.99e-6, r.get("e").asDouble(), 0.0);
    assertTrue(r.get("z").isNull() && r.get("s").asText().equals("a\"b"), r.toString());

    LodeCli.Result csv = cli.runWithInput("SELECT 1 AS one, 'a,\"b' AS s;\n-- a comment; not a statement\n"
        + "SELECT number AS n FROM numbers(3);\n", "sql", "--native", "--format", "csv");
    assertEquals(0, csv.code(), csv.out());
    assertEquals("one,s\n1,\"a,\"\"b\"\nn\n0\n1\n2\n", csv.out());

    LodeCli.Result vertical = cli.run("sql", "--native", "--format", "vertical", "SELECT 1 AS one, 'x' AS longer");
    assertEquals("Row 1:\n------\none:    1\nlonger: x\n\n(1 row)\n", vertical.out());

    // Lode SQL sent to bare ClickHouse: the error says where it would run
    LodeCli.Result funnel = cli.run("sql", "SELECT * FROM TABLE(funnel('product_view,purchase', 3600))");
    assertEquals(1, funnel.code(), funnel.out());
    assertTrue(funnel.out().contains("hint: TABLE(...) calls are Lode SQL") && funnel.out().contains("bin/lode serve"),
        funnel.out());
    LodeCli.Result unknown = cli.run("sql", "SELECT recommend('p-1', 5)");
    assertEquals(1, unknown.code(), unknown.out());
    assertTrue(unknown.out().contains("hint: recommend is not a ClickHouse function"), unknown.out());

    // through the launcher, from another directory: -f names a file there
    Files.writeString(cwd.resolve("q.sql"), "SELECT 41 + 1 AS answer");
    LodeCli.Result file = cli.launch(cwd, "sql", "--native", "-f", "q.sql");
    assertEquals(0, file.code(), file.out());
    assertEquals("answer\n------\n    42\n(1 row)\n", file.out());
  }

  @Test
  void loadAndReportPathsAreRelativeToTheCallersDirectory() throws Exception {
    LodeCli cli = new LodeCli(home);
    Path sample = cwd.resolve("orders.csv.gz");
    try (InputStream in = SqlCliTest.class.getResourceAsStream("/lode/demo/online-retail-sample.csv.gz")) {
      Files.copy(in, sample);
    }
    long records;
    try (InputStream in = new GZIPInputStream(Files.newInputStream(sample))) {
      records = new String(in.readAllBytes(), StandardCharsets.UTF_8).strip().lines().count() - 1;
    }
    LodeCli.Result load = cli.launch(cwd, "load", "orders", "orders.csv.gz", "--mapping", "online-retail",
        "--no-resolve");
    assertEquals(0, load.code(), load.out());
    assertTrue(load.out().contains(String.format("orders.csv.gz → orders: %,d records", records)), load.out());
    // not a terminal: the progress comes as plain lines (a tenth each, then the end), never redrawn in place
    assertTrue(java.util.regex.Pattern.compile("(?m)^load orders\\.csv\\.gz 100% \\[=+\\] " + records + "/" + records
        + " records \\(\\d+:\\d\\d:\\d\\d / ").matcher(load.out()).find(), load.out());
    assertTrue(!load.out().contains("\r"), load.out());

    LodeCli.Result report = cli.launch(cwd, "report", "run", "daily_kpi", "--format", "csv", "--out", "out");
    assertEquals(0, report.code(), report.out());
    assertTrue(Files.isRegularFile(cwd.resolve("out").resolve("daily_kpi").resolve("latest.csv")), report.out());
    assertTrue(report.out().contains(cwd.resolve("out").toString()), report.out());

    LodeCli.Result missing = cli.launch(cwd, "load", "orders", "no-such.csv");
    assertEquals(2, missing.code(), missing.out());
    assertTrue(missing.out().contains(cwd.resolve("no-such.csv") + " is not a file or directory"), missing.out());
  }
}
