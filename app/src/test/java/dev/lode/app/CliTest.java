package dev.lode.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The command line as a user runs it, in separate processes: {@code lode serve} starts
 * on the embedded engine and says where to connect; {@code lode sql} reaches it, prints
 * an aligned table, and exits non-zero with the engine's error for a bad query; {@code lode
 * forget} erases a person through the server's admin endpoint.
 */
class CliTest {
  @TempDir
  Path home;

  @Test
  void serveThenSql() throws Exception {
    Process server = lode("serve").redirectErrorStream(true).start();
    try {
      BufferedReader out = new BufferedReader(new InputStreamReader(server.getInputStream(), StandardCharsets.UTF_8));
      List<String> banner = new ArrayList<>();
      String line;
      while ((line = out.readLine()) != null) {
        banner.add(line);
        if (line.contains("credentials")) {
          break;
        }
      }
      String text = String.join("\n", banner);
      assertTrue(text.contains("Lode is running.") && text.contains("embedded ClickHouse 26."), text);
      assertTrue(text.contains("/v1/batch") && text.contains("credentials.properties"), text);
      Thread drain = new Thread(() -> {
        try {
          out.transferTo(java.io.Writer.nullWriter());
        } catch (IOException ignored) {
          // the server was stopped
        }
      });
      drain.setDaemon(true);
      drain.start();

      Result version = run("sql", "SELECT version() AS v, 42 AS answer");
      assertEquals(0, version.code, version.out);
      assertTrue(version.out.matches("(?s)v\\s+\\|\\s+answer\\n-+-\\+-+\\n26\\.[0-9.]+\\s+\\|\\s+42\\n\\(1 row\\)\\n"), version.out);

      Result bad = run("sql", "SELEC 1");
      assertEquals(1, bad.code, bad.out);
      assertEquals("error: SQL syntax error: Non-query expression encountered in illegal context\n", bad.out);

      Result still = run("sql", "SELECT count(*) AS events FROM events");
      assertEquals(0, still.code, still.out);
      assertTrue(still.out.matches("(?s)events\\n-+\\n\\s*0\\n\\(1 row\\)\\n"), still.out);

      // ClickHouse SQL on the server's warehouse with --native
      Result engine = run("sql", "--native", "SELECT count() AS tables FROM system.tables WHERE database = 'lode'"
          + " AND name = 'events'");
      assertEquals(0, engine.code, engine.out);
      assertTrue(engine.out.contains("1\n(1 row)"), engine.out);

      // bin/lode forget goes to the running server's admin endpoint; the person is loaded with
      // ClickHouse inserts (--native: loading is the warehouse's business, not the SQL layer's)
      assertEquals(0, run("sql", "--native", "INSERT INTO persons (person_id, created_at, updated_at, email) VALUES"
          + " ('person-dave', now64(3), now64(3), 'dave@example.com')").code);
      assertEquals(0, run("sql", "--native", "INSERT INTO identities (id_type, id_value, person_id, first_seen,"
          + " updated_at) VALUES ('user_id', 'dave-login', 'person-dave', now64(3), now64(3))").code);
      Result before = run("sql", "SELECT COUNT(*) AS n FROM identities WHERE person_id = 'person-dave'");
      assertTrue(before.code == 0 && before.out.contains("1\n(1 row)"), before.out);
      Result forgot = run("forget", "dave@example.com");
      assertEquals(0, forgot.code, forgot.out);
      assertTrue(forgot.out.contains("\"status\":\"completed\"") && !forgot.out.contains("dave"), forgot.out);
      Result gone = run("sql", "SELECT COUNT(*) AS n FROM identities WHERE person_id = 'person-dave'");
      assertTrue(gone.code == 0 && gone.out.contains("0\n(1 row)"), gone.out);
      Result goneNative = run("sql", "--native", "SELECT count() AS n FROM persons WHERE person_id = 'person-dave'");
      assertTrue(goneNative.code == 0 && goneNative.out.contains("0\n(1 row)"), goneNative.out);
      assertEquals(2, run("forget", "undefined").code);
    } finally {
      server.destroy();
      server.waitFor(30, TimeUnit.SECONDS);
    }
  }

  private record Result(int code, String out) {
  }

  private Result run(String... args) throws Exception {
    Process p = lode(args).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(120, TimeUnit.SECONDS));
    // drop engine/driver log lines, keep what the user reads
    StringBuilder kept = new StringBuilder();
    for (String l : out.split("\n", -1)) {
      if (!l.startsWith("[") && !l.startsWith("WARNING") && !l.startsWith("SLF4J")) {
        kept.append(l).append('\n');
      }
    }
    return new Result(p.exitValue(), kept.toString().replaceAll("\n+$", "\n"));
  }

  private ProcessBuilder lode(String... args) {
    List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "--enable-native-access=ALL-UNNAMED", "-Dlode.http.port=0", "-Dlode.demo.enabled=false",
        "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn",
        "-cp", System.getProperty("java.class.path"), "dev.lode.cli.Lode"));
    cmd.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(cmd);
    pb.environment().put("LODE_HOME", home.toString());
    return pb;
  }
}
