package dev.lode.console;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lode.app.LodeServer;
import dev.lode.config.Credentials;
import dev.lode.privacy.Pseudonym;
import dev.lode.privacy.PrivacySettings;
import dev.lode.sql.SqlClient;
import dev.lode.tags.TagCatalog;
import dev.lode.tags.TagRegistry;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The web console end to end in headless Chromium: {@code src/test/console-e2e/console-e2e.mjs}
 * (playwright-core from the npm registry at the lock file's version, installed into
 * {@code target/console-e2e}, driving Debian's {@code /usr/bin/chromium}) signs in as each role,
 * visits every page, performs one action per page — an admin retires a tag and enables it again
 * and erases a test person, an analyst runs a report, everyone runs a query — and checks what
 * each role may and may not see, saving a screenshot of every page under
 * {@code target/console-screenshots}. This class checks the same actions in the warehouse,
 * independently of the pages: the tag's status while retired and after, the erased person's
 * rows, the report run, the query's answer and the analyst's pseudonyms. Without Chromium or
 * Node it skips, saying so; with {@code CI=true} it fails instead.
 */
class ConsoleBrowserTest {
  private static final Path E2E = Path.of("target", "console-e2e");
  private static final Path SHOTS = Path.of("target", "console-screenshots");
  private static final String CHROMIUM = "/usr/bin/chromium";
  private static final String CAROL = "person-console-carol";
  private static final String CAROL_LOGIN = "carol-console-login";
  private static final String DAVE = "person-console-dave";
  private static final String DAVE_LOGIN = "dave-console-login";
  private static final String SECRET = "console-secret-payload@example.com";

  private static LodeServer server;

  @BeforeAll
  static void fixtures() throws SQLException {
    server = SqlClient.server();
    try (Connection w = server.context().warehouse().connect(); Statement st = w.createStatement()) {
      for (String[] id : List.of(new String[] {CAROL, "user_id", CAROL_LOGIN},
          new String[] {CAROL, "anonymous_id", "anon-console-carol"}, new String[] {DAVE, "user_id", DAVE_LOGIN})) {
        st.execute("INSERT INTO identities (id_type, id_value, person_id, first_seen, updated_at, source, link_reason,"
            + " is_deleted) VALUES ('" + id[1] + "', '" + id[2] + "', '" + id[0] + "', now64(3), now64(3), 'console-test',"
            + " 'identify', 0)");
      }
      st.execute("INSERT INTO quarantine (received_time, source, reason_code, detail, raw_payload, file, line) VALUES"
          + " (now64(3), 'console-test', 'console_test_reason', 'a test record', '{\"email\":\"" + SECRET + "\"}', '', 0)");
    }
    new TagRegistry(server.context().warehouse()).sync(TagCatalog.load(server.context().config()));
  }

  private static Credentials.User user(Credentials.Role role) {
    return server.context().credentials().users().values().stream().filter(u -> u.role() == role).findFirst()
        .orElseThrow();
  }

  @Test
  void everyRoleInChromium() throws Exception {
    boolean ci = "true".equalsIgnoreCase(System.getenv("CI"));
    String missing = !Files.isExecutable(Path.of(CHROMIUM)) ? CHROMIUM + " is missing (.ci/install-chromium installs it)"
        : !runs(List.of("node", "--version")) ? "node is missing (.ci/install-node installs it)" : null;
    if (missing != null) {
      assertFalse(ci, "CI=true: the console's browser test must run, but " + missing);
      Assumptions.abort("console browser test skipped: " + missing);
    }
    install();
    Files.createDirectories(SHOTS);
    try (var old = Files.list(SHOTS)) {
      for (Path p : old.toList()) {
        Files.delete(p);
      }
    }
    String tag = "lifecycle_stage";
    Pseudonym pseudonym = new Pseudonym(PrivacySettings.of(server.context().config()).salt());
    String query = "SELECT COUNT(*) AS n FROM identities WHERE person_id = '" + CAROL + "'";
    Map<String, Object> plan = new LinkedHashMap<>();
    plan.put("url", server.url());
    plan.put("chromium", CHROMIUM);
    plan.put("shots", SHOTS.toAbsolutePath().toString());
    Map<String, Object> users = new LinkedHashMap<>();
    for (Credentials.Role r : Credentials.Role.values()) {
      Credentials.User u = user(r);
      users.put(r.name().toLowerCase(), Map.of("name", u.name(), "password", u.password()));
    }
    plan.put("users", users);
    plan.put("engineVersion", nativeOne("SELECT version()"));
    plan.put("quarantineReason", "console_test_reason");
    plan.put("quarantineSecret", SECRET);
    plan.put("tag", tag);
    plan.put("carol", Map.of("person", CAROL, "rawId", CAROL_LOGIN, "maskedId", pseudonym.of(CAROL_LOGIN)));
    plan.put("dave", Map.of("person", DAVE, "rawId", DAVE_LOGIN));
    plan.put("report", "tag_health");
    plan.put("query", query);
    // the answer the playground must show, asked natively of ClickHouse
    plan.put("queryCells", List.of(nativeOne("SELECT count() FROM identities FINAL WHERE person_id = '" + CAROL
        + "' AND is_deleted = 0")));
    Path planFile = E2E.resolve("plan.json");
    Files.writeString(planFile, new ObjectMapper().writeValueAsString(plan));
    long before = Long.parseLong(nativeOne("SELECT count() FROM report_runs FINAL WHERE report = 'tag_health'"
        + " AND trigger = 'console' AND status = 'succeeded'"));

    Path log = E2E.resolve("run.log");
    Process node = new ProcessBuilder("node", "console-e2e.mjs", planFile.toAbsolutePath().toString())
        .directory(E2E.toFile()).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    boolean checkedRetired = false;
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(600);
    while (node.isAlive() && System.nanoTime() < deadline) {
      if (!checkedRetired && Files.exists(SHOTS.resolve("retired.txt"))) {
        // while the admin's page says retired, the warehouse says so, and person_tags hides its values
        assertEquals("retired", status(tag));
        assertEquals("0", nativeOne("SELECT count() FROM person_tags WHERE tag_id = '" + tag + "'"));
        Files.writeString(SHOTS.resolve("retired.checked"), "ok");
        checkedRetired = true;
      }
      node.waitFor(100, TimeUnit.MILLISECONDS);
    }
    if (node.isAlive()) {
      node.destroyForcibly();
    }
    String out = Files.readString(log);
    System.out.println(out);
    assertTrue(!node.isAlive() && node.exitValue() == 0, "the browser run failed:\n" + out);
    assertTrue(checkedRetired, "the admin never retired the tag");
    assertEquals("active", status(tag), "enabling the tag again made its newest version active");
    // the erasure: nothing of dave in identities, carol untouched, one erasure record more
    assertEquals("0", nativeOne("SELECT count() FROM identities FINAL WHERE person_id = '" + DAVE + "' AND is_deleted = 0"));
    assertEquals("2", nativeOne("SELECT count() FROM identities FINAL WHERE person_id = '" + CAROL + "' AND is_deleted = 0"));
    // the analyst's run is recorded with the console as its trigger, with the row count the page showed
    assertEquals(before + 1, Long.parseLong(nativeOne("SELECT count() FROM report_runs FINAL WHERE report = 'tag_health'"
        + " AND trigger = 'console' AND status = 'succeeded'")));
    String shown = Files.readString(SHOTS.resolve("report-run.txt"));
    String rows = nativeOne("SELECT rows FROM report_runs FINAL WHERE report = 'tag_health' AND trigger = 'console'"
        + " ORDER BY started_at DESC LIMIT 1");
    assertTrue(shown.contains(", " + rows + " rows"), shown + " vs " + rows + " rows recorded");
    try (var shots = Files.list(SHOTS)) {
      assertTrue(shots.filter(p -> p.toString().endsWith(".png")).count() >= 20, "screenshots of every page");
    }
  }

  private static String status(String tag) throws SQLException {
    return nativeOne("SELECT argMax(status, version) FROM tag_definitions FINAL WHERE tag_id = '" + tag + "'");
  }

  private static String nativeOne(String sql) throws SQLException {
    try (Connection w = server.context().warehouse().connect(); Statement st = w.createStatement();
         ResultSet rs = st.executeQuery(sql)) {
      assertTrue(rs.next(), sql);
      return rs.getString(1);
    }
  }

  /** Installs the lock file's playwright-core into target/console-e2e (once per lock file). */
  private static void install() throws Exception {
    Files.createDirectories(E2E);
    for (String f : List.of("package.json", "package-lock.json", "console-e2e.mjs")) {
      Files.copy(Path.of("src", "test", "console-e2e", f), E2E.resolve(f), StandardCopyOption.REPLACE_EXISTING);
    }
    Path installedFrom = E2E.resolve("node_modules").resolve(".installed-from-lock.json");
    if (!Files.exists(installedFrom) || Files.mismatch(installedFrom, E2E.resolve("package-lock.json")) != -1) {
      Process p = new ProcessBuilder("npm", "ci", "--no-audit", "--no-fund", "--ignore-scripts").directory(E2E.toFile())
          .redirectErrorStream(true).start();
      String text = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertTrue(p.waitFor(300, TimeUnit.SECONDS) && p.exitValue() == 0, "npm ci failed:\n" + text);
      Files.copy(E2E.resolve("package-lock.json"), installedFrom, StandardCopyOption.REPLACE_EXISTING);
    }
  }

  private static boolean runs(List<String> cmd) {
    try {
      Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
      p.getInputStream().readAllBytes();
      return p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }
}
