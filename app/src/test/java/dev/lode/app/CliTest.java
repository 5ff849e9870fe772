package dev.lode.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
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
    LodeCli cli = new LodeCli(home);
    try (LodeCli.Server server = cli.serve()) {
      String text = server.banner();
      assertTrue(text.contains("Lode is running.") && text.contains("embedded ClickHouse 26."), text);
      assertTrue(text.contains("/v1/batch") && text.contains("credentials.properties"), text);

      LodeCli.Result version = cli.run("sql", "SELECT version() AS v, 42 AS answer");
      assertEquals(0, version.code(), version.out());
      assertTrue(version.out().matches("(?s)v\\s+\\|\\s+answer\\n-+-\\+-+\\n26\\.[0-9.]+\\s+\\|\\s+42\\n\\(1 row\\)\\n"), version.out());

      LodeCli.Result bad = cli.run("sql", "SELEC 1");
      assertEquals(1, bad.code(), bad.out());
      assertEquals("error: SQL syntax error: Non-query expression encountered in illegal context\n", bad.out());

      LodeCli.Result still = cli.run("sql", "SELECT count(*) AS events FROM events");
      assertEquals(0, still.code(), still.out());
      assertTrue(still.out().matches("(?s)events\\n-+\\n\\s*0\\n\\(1 row\\)\\n"), still.out());

      // ClickHouse SQL on the server's warehouse with --native
      LodeCli.Result engine = cli.run("sql", "--native", "SELECT count() AS tables FROM system.tables WHERE database = 'lode'"
          + " AND name = 'events'");
      assertEquals(0, engine.code(), engine.out());
      assertTrue(engine.out().contains("1\n(1 row)"), engine.out());

      // bin/lode forget goes to the running server's admin endpoint; the person is loaded with
      // ClickHouse inserts (--native: loading is the warehouse's business, not the SQL layer's)
      assertEquals(0, cli.run("sql", "--native", "INSERT INTO persons (person_id, created_at, updated_at, email) VALUES"
          + " ('person-dave', now64(3), now64(3), 'dave@example.com')").code());
      assertEquals(0, cli.run("sql", "--native", "INSERT INTO identities (id_type, id_value, person_id, first_seen,"
          + " updated_at) VALUES ('user_id', 'dave-login', 'person-dave', now64(3), now64(3))").code());
      LodeCli.Result before = cli.run("sql", "SELECT COUNT(*) AS n FROM identities WHERE person_id = 'person-dave'");
      assertTrue(before.code() == 0 && before.out().contains("1\n(1 row)"), before.out());
      LodeCli.Result preview = cli.run("forget", "--id", "dave@example.com", "--dry-run");
      assertEquals(0, preview.code(), preview.out());
      assertTrue(preview.out().contains("will erase 1 person and ") && preview.out().contains("(dry run: nothing erased)")
          && !preview.out().contains("dave"), preview.out());
      LodeCli.Result unconfirmed = cli.run("forget", "--id", "dave@example.com");
      assertEquals(2, unconfirmed.code(), unconfirmed.out());
      assertTrue(unconfirmed.out().contains("refusing to erase without confirmation"), unconfirmed.out());
      LodeCli.Result still2 = cli.run("sql", "SELECT COUNT(*) AS n FROM identities WHERE person_id = 'person-dave'");
      assertTrue(still2.code() == 0 && still2.out().contains("1\n(1 row)"), still2.out());
      LodeCli.Result forgot = cli.run("forget", "--id", "dave@example.com", "--yes");
      assertEquals(0, forgot.code(), forgot.out());
      assertTrue(forgot.out().contains("\"status\":\"completed\"") && !forgot.out().contains("dave"), forgot.out());
      LodeCli.Result gone = cli.run("sql", "SELECT COUNT(*) AS n FROM identities WHERE person_id = 'person-dave'");
      assertTrue(gone.code() == 0 && gone.out().contains("0\n(1 row)"), gone.out());
      LodeCli.Result goneNative = cli.run("sql", "--native", "SELECT count() AS n FROM persons WHERE person_id = 'person-dave'");
      assertTrue(goneNative.code() == 0 && goneNative.out().contains("0\n(1 row)"), goneNative.out());
      assertEquals(2, cli.run("forget", "--id", "undefined", "--yes").code());
      assertEquals(2, cli.run("forget", "dave@example.com").code(), "an id needs --id");
    }
  }
}
