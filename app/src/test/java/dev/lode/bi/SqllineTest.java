package dev.lode.bi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import sqlline.SqlLine;

/**
 * sqlline 1.12 itself, run in-process on a script as a user runs it from a shell: connect with
 * the Avatica driver, {@code !tables}, {@code !columns events} and a count, with its output read
 * back and the count compared with ClickHouse's.
 */
class SqllineTest {
  @TempDir
  static Path dir;

  @BeforeAll
  static void data() throws SQLException {
    CompatEvents.load();
  }

  @Test
  void tablesColumnsAndACount() throws IOException, SQLException {
    Path script = dir.resolve("session.sql");
    Files.writeString(script, "!tables\n!columns events\nSELECT COUNT(*) AS n FROM events WHERE " + CompatEvents.ONLY
        + ";\n!quit\n");
    String user = LodeEndpoint.analyst().name();
    String password = LodeEndpoint.analyst().password();
    String url = "jdbc:avatica:remote:url=" + LodeEndpoint.base() + "/avatica;serialization=protobuf"
        + ";authentication=BASIC;avatica_user=" + user + ";avatica_password=" + password;
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    SqlLine sqlline = new SqlLine();
    try (PrintStream ps = new PrintStream(out, true, StandardCharsets.UTF_8)) {
      sqlline.setOutputStream(ps);
      sqlline.setErrorStream(ps);
      SqlLine.Status status = sqlline.begin(new String[] {"-d", "org.apache.calcite.avatica.remote.Driver", "-u", url,
          "-n", user, "-p", password, "--outputformat=csv", "--silent=false", "-f", script.toString()},
          new ByteArrayInputStream(new byte[0]), false);
      String text = out.toString(StandardCharsets.UTF_8);
      assertEquals(SqlLine.Status.OK, status, text);
      List<String> lines = text.lines().toList();
      // csv rows of !tables: 'TABLE_CAT','TABLE_SCHEM','TABLE_NAME','TABLE_TYPE',...
      assertTrue(lines.stream().anyMatch(l -> l.matches(".*'lode','events','(TABLE|VIEW)'.*")), text);
      String count = CompatEvents.natively("SELECT count() FROM events WHERE " + CompatEvents.ONLY).rows().get(0).get(0);
      assertTrue(lines.contains("'" + count + "'"), count + " not in\n" + text);
      // !columns rows: one per column of events, after the one !tables row of events
      long columns = lines.stream().filter(l -> l.contains("'lode','events','")).count() - 1;
      assertEquals(Long.parseLong(CompatEvents.natively("SELECT count() FROM system.columns WHERE database ="
          + " currentDatabase() AND table = 'events'").rows().get(0).get(0)), columns, text);
    }
  }
}
