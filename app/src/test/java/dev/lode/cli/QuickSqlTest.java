package dev.lode.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lode.app.LodeCli;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.OptionalInt;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code bin/lode sql}'s quick path (Avatica JSON, in this JVM) against a running server: it
 * prints what the full command (the Avatica driver, in a JVM of its own) prints for the same
 * statement, in every format, and the values the test writes down; everything it does not
 * take is left to the full command.
 */
class QuickSqlTest {
  @TempDir
  static Path home;
  private static LodeCli.Server server;
  private static LodeCli full;

  /** One statement with a value of every type the quick path reads, and a NULL. */
  private static final String TYPED = "SELECT 1 + 1, 'a,\"b' AS s, CAST(0.1 AS DOUBLE) + CAST(0.2 AS DOUBLE) AS d,"
      + " CAST(6.99e-6 AS DOUBLE) AS e, 1.50 AS dec, TIMESTAMP '2024-01-02 03:04:05' AS ts, DATE '2024-01-02' AS dt,"
      + " ARRAY[1, 2] AS arr, TRUE AS b, CAST(NULL AS INTEGER) AS z, CAST(9007199254740993 AS BIGINT) AS big";

  @BeforeAll
  static void serve() throws Exception {
    server = new LodeCli(home).serve();
    full = new LodeCli(home, List.of("-Dlode.sql.quick=off"));
    System.setProperty("lode.home", home.toString());
  }

  @AfterAll
  static void stop() throws Exception {
    System.clearProperty("lode.home");
    server.close();
  }

  @Test
  void printsWhatTheFullCommandPrintsInEveryFormat() throws Exception {
    for (String format : List.of("table", "csv", "tsv", "json", "vertical")) {
      String quick = quick("sql", "--format", format, TYPED);
      LodeCli.Result slow = full.run("sql", "--format", format, TYPED);
      assertEquals(0, slow.code(), slow.out());
      assertEquals(slow.out(), quick, format);
    }
    // and the values themselves, written down here
    String tsv = quick("sql", "--format=tsv", TYPED);
    assertEquals("1 + 1\ts\td\te\tdec\tts\tdt\tarr\tb\tz\tbig\n"
        + "2\ta,\"b\t0.30000000000000004\t0.00000699\t1.50\t2024-01-02 03:04:05\t2024-01-02\t[1,2]\ttrue\t\\N"
        + "\t9007199254740993\n", tsv);
    assertEquals("1\n-\n1\n(1 row)\n", quick("sql", "SELECT 1"));
  }

  @Test
  void readsEveryFrameOfALongResult() throws Exception {
    // the server sends 100 rows a frame: 250 rows take three
    String values = IntStream.rangeClosed(1, 250).mapToObj(i -> "(" + i + ")").collect(Collectors.joining(","));
    String sql = "SELECT sum(x) AS total, count(*) AS n FROM (SELECT x FROM (VALUES " + values + ") AS t(x))";
    assertEquals("total,n\n31375,250\n", quick("sql", "--format", "csv", sql));
    String rows = quick("sql", "--format", "csv", "--max-rows", "1000", "SELECT x FROM (VALUES " + values + ") AS t(x)");
    assertEquals(IntStream.rangeClosed(1, 250).mapToObj(Integer::toString).collect(Collectors.joining("\n", "x\n", "\n")),
        rows);
  }

  @Test
  void leavesToTheFullCommandWhatItDoesNotTake() {
    for (List<String> argv : List.of(List.of("sql", "--help"), List.of("sql", "--native", "SELECT 1"),
        List.of("sql", "SELECT 1; SELECT 2"), List.of("sql", "SELECT nosuch"), List.of("sql", "--format", "xml", "SELECT 1"),
        List.of("sql", "SELECT TIME '01:02:03' AS t"), List.of("sql", "SELECT 1", "SELECT 2"))) {
      assertTrue(QuickSql.run(argv.toArray(String[]::new)).isEmpty(), argv.toString());
    }
  }

  @Test
  void reportsAStatementThatFailedWhileRunningOnceInTheFullCommandsWords() throws Exception {
    // it prepares (the cast is typed) and fails only when a row is cast
    String failing = "SELECT CAST(s AS INTEGER) AS quick_fail_marker FROM (VALUES ('abc')) AS t(s)";
    PrintStream err = System.err;
    ByteArrayOutputStream buffer = new ByteArrayOutputStream();
    OptionalInt code;
    System.setErr(new PrintStream(buffer, true, StandardCharsets.UTF_8));
    try {
      code = QuickSql.run(new String[] {"sql", failing});
    } finally {
      System.setErr(err);
    }
    assertEquals(OptionalInt.of(Lode.FAILED), code);
    String quickError = buffer.toString(StandardCharsets.UTF_8).lines().findFirst().orElse("");
    assertTrue(quickError.startsWith("error: ") && quickError.length() > "error: ".length(), quickError);
    // ran once: one audited statement, not a second run by the full command
    assertEquals("1\n", quick("sql", "--format", "csv", "SELECT count(DISTINCT query_id) AS n FROM audit.queries"
        + " WHERE statement LIKE '%quick_fail_marker%' AND statement NOT LIKE '%audit.queries%'").lines().skip(1)
        .collect(Collectors.joining("\n", "", "\n")));
    LodeCli.Result slow = full.run("sql", failing);
    assertEquals(Lode.FAILED, slow.code(), slow.out());
    assertTrue(slow.out().contains(quickError), "the driver path says: " + slow.out() + "; the quick path: " + quickError);
  }

  /** What the quick path printed; fails if it did not take the command line. */
  private static String quick(String... argv) {
    PrintStream out = System.out;
    ByteArrayOutputStream buffer = new ByteArrayOutputStream();
    OptionalInt code;
    System.setOut(new PrintStream(buffer, true, StandardCharsets.UTF_8));
    try {
      code = QuickSql.run(argv);
    } finally {
      System.setOut(out);
    }
    assertEquals(OptionalInt.of(0), code, String.join(" ", argv));
    return buffer.toString(StandardCharsets.UTF_8);
  }
}
