package dev.lode.collector;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * The denial-of-service cases of the privacy review, each run against a real server process
 * while a viewer's trivial query is timed over the Avatica driver: large results left unfetched
 * (spilled past the memory budgets, refused past the disk budget, dropped when idle), plans
 * Calcite would run in the JVM (recursion, joins) refused, a client that disconnects mid-query,
 * slow bodies without credentials, too many connections of one user, and password guessing.
 * Each attack must be refused, bounded or cancelled with its documented error, the server must
 * stay up, and the trivial query's p99 must stay under 1 s — or, on a machine too busy for that,
 * under three times the p99 measured without an attack in the same run.
 */
@Tag("latency-bound") // asserts a trivial query's p99: runs alone (app/pom.xml)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class AvailabilityTest {
  private static final String ANALYST_PASSWORD = "analyst-password";
  private static final String VIEWER_PASSWORD = "viewer-password";
  private static final int EVENTS = 600_000;
  private static final int IDLE_SECONDS = 15;
  private static final int TIMEOUT_SECONDS = 60;
  private static final int CONNECTIONS_PER_USER = 16;
  private static final int SAMPLES = 60;
  /** The viewer's trivial query (viewers read aggregate relations only), and the same asked of ClickHouse. */
  private static final String TRIVIAL = "SELECT count(*) FROM tags";
  private static final String NATIVE_TRIVIAL = "SELECT count() FROM tags";
  /** A result the analyst leaves unfetched: two numbers a row, 3 of 7 events (about 20 MB as the server holds it). */
  private static final String HELD = "SELECT event_time, quantity FROM events WHERE quantity < 3";
  /** Every event, four columns (about 130 MB as the server holds it). */
  private static final String BIG = "SELECT event_time, quantity, event_name, event_type FROM events";

  @TempDir
  static Path home;
  private ServerProcess server;
  private Connection viewer;
  private long baselineP99;
  private final List<String> figures = Collections.synchronizedList(new ArrayList<>());

  @BeforeAll
  void start() throws Exception {
    Path data = home.resolve("data");
    Files.createDirectories(data);
    Files.writeString(data.resolve("credentials.properties"), "user.admin.password=" + ServerProcess.ADMIN_PASSWORD
        + "\nuser.admin.role=admin\nuser.analyst.password=" + ANALYST_PASSWORD + "\nuser.analyst.role=analyst\n"
        + "user.viewer.password=" + VIEWER_PASSWORD + "\nuser.viewer.role=viewer\nwritekey."
        + ServerProcess.WRITE_KEY + "=web\n");
    server = ServerProcess.start(home, Map.of("lode.demo.enabled", "false", "lode.sql.max-rows", "2000000",
        "lode.sql.statement-memory-mb", "20", "lode.sql.user-memory-mb", "40", "lode.sql.user-spill-mb", "200",
        "lode.sql.result-idle-seconds", Integer.toString(IDLE_SECONDS), "lode.sql.timeout-seconds",
        Integer.toString(TIMEOUT_SECONDS), "lode.sql.connections-per-user", Integer.toString(CONNECTIONS_PER_USER),
        "lode.http.threads", "64"));
    try (Connection c = server.warehouse(); Statement st = c.createStatement()) {
      st.execute("INSERT INTO events (event_id, event_time, received_time, distinct_id, anonymous_id, event_type,"
          + " event_name, quantity) SELECT concat('av-', toString(number)), now64(3) - number, now64(3),"
          + " concat('p-', toString(number % 1000)), concat('p-', toString(number % 1000)), 'track',"
          + " if(number % 10 = 0, 'purchase', 'page_view'), toInt32(number % 7) FROM numbers(" + EVENTS + ")");
    }
    viewer = sql("viewer", VIEWER_PASSWORD);
    // the trivial query's answer is checked against ClickHouse's own count on every run
    assertEquals(server.count(NATIVE_TRIVIAL), trivial(viewer));
    baselineP99 = p99(probe(() -> sleep(0), 100), "baseline (no attack)");
  }

  @AfterAll
  void stop() throws Exception {
    if (viewer != null) {
      viewer.close();
    }
    if (server != null) {
      server.close();
    }
    System.out.println("availability figures:\n  " + String.join("\n  ", figures));
  }

  @Test
  @Order(1)
  void unfetchedResultsSpillWithinBudgetsAndExpire() throws Exception {
    List<Connection> opened = new ArrayList<>();
    List<String> outcomes = Collections.synchronizedList(new ArrayList<>());
    List<ResultSet> held = new ArrayList<>();
    try {
      unfetchedResults(opened, outcomes, held);
    } finally {
      for (Connection c : opened) {
        c.close();
      }
    }
  }

  private void unfetchedResults(List<Connection> opened, List<String> outcomes, List<ResultSet> held)
      throws Exception {
    long[] spillFiles = new long[2];
    long[] drained = new long[2];
    long p99 = p99(probe(() -> {
      // every event: past the statement's memory budget on its own, so most of it goes to disk
      Connection first = sql("analyst", ANALYST_PASSWORD);
      opened.add(first);
      Statement big = first.createStatement();
      big.setFetchSize(20_000);
      ResultSet bigRows = big.executeQuery(BIG);
      assertTrue(bigRows.next());
      outcomes.add("held");
      spillFiles[0] = spillFiles();
      // a second copy of every event would take the user's spilled rows past their disk budget
      try (Connection c = sql("analyst", ANALYST_PASSWORD); Statement st = c.createStatement()) {
        st.executeQuery(BIG);
        outcomes.add("held");
      } catch (SQLException e) {
        outcomes.add(e.getSQLState() + " " + e.getMessage());
      }
      // the spilled result is served whole and right: its rows and their sum, next to ClickHouse's
      long n = 1;
      long sum = bigRows.getLong(2);
      while (bigRows.next()) {
        n++;
        sum += bigRows.getLong(2);
      }
      drained[0] = n;
      drained[1] = sum;
      // three results left unfetched: past the user's memory budget, the last spilled
      for (int i = 0; i < 3; i++) {
        Connection c = sql("analyst", ANALYST_PASSWORD);
        opened.add(c);
        try {
          ResultSet rs = c.createStatement().executeQuery(HELD);
          assertTrue(rs.next());
          held.add(rs);
          outcomes.add("held");
        } catch (SQLException e) {
          outcomes.add(e.getSQLState() + " " + e.getMessage());
        }
      }
      spillFiles[1] = spillFiles();
    }, SAMPLES), "every event (600k rows, 4 columns) held, every event again, the first read back, then three"
        + " unfetched 257k-row results (analyst; 20 MB per statement, 40 MB per user, 200 MB spilled per user)");
    assertEquals("held", outcomes.get(0), outcomes.toString());
    assertTrue(outcomes.get(1).startsWith("53200 ") && outcomes.get(1).contains("lode.sql.user-spill-mb=200"),
        outcomes.toString());
    assertEquals(List.of("held", "held", "held"), outcomes.subList(2, 5), outcomes.toString());
    assertTrue(spillFiles[0] >= 1 && spillFiles[1] >= 1, "results past the memory budgets were not spilled: "
        + spillFiles[0] + ", " + spillFiles[1] + " files");
    assertEquals(List.of(server.count("SELECT count() FROM events"), server.count("SELECT sum(quantity) FROM events")),
        List.of(drained[0], drained[1]));
    figures.add("results: " + outcomes.stream().map(o -> o.length() > 5 ? o.substring(0, 5).strip() : o).toList()
        + "; the spilled 600k-row result read back whole (count and sum equal ClickHouse's)");
    assertBounded(p99);
    // left unfetched past lode.sql.result-idle-seconds, a held result is dropped (its file deleted) and a fetch says why
    // the sweeper runs on a schedule: under a loaded CI machine its pass may come seconds after the idle limit
    Thread.sleep(IDLE_SECONDS * 1000L + 2500);
    long expiry = System.currentTimeMillis() + 20_000;
    while (spillFiles() > 0 && System.currentTimeMillis() < expiry) {
      Thread.sleep(250);
    }
    assertEquals(0, spillFiles(), "spill files left 20 s after the results expired");
    try {
      ResultSet rs = held.getFirst();
      while (rs.next()) {
        // the first frame was sent; the next fetch finds the result dropped
      }
      fail("the held result should have expired");
    } catch (SQLException | RuntimeException e) {
      StringBuilder chain = new StringBuilder();
      for (Throwable t = e; t != null; t = t.getCause()) {
        chain.append(t).append('\n');
      }
      assertTrue(chain.toString().contains("lode.sql.result-idle-seconds=" + IDLE_SECONDS), chain.toString());
    }
    // with the results gone the analyst can hold a result again
    try (Statement st = opened.get(1).createStatement()) {
      st.setFetchSize(20_000);
      try (ResultSet rs = st.executeQuery(HELD)) {
        long n = 0;
        while (rs.next()) {
          n++;
        }
        assertEquals(server.count("SELECT count() FROM events WHERE quantity < 3"), n);
      }
    }
    assertTrue(server.alive());
  }

  private long spillFiles() throws Exception {
    Path dir = home.resolve("data").resolve("spill");
    if (!Files.isDirectory(dir)) {
      return 0;
    }
    try (var files = Files.list(dir)) {
      return files.filter(f -> f.getFileName().toString().endsWith(".spill")).count();
    }
  }

  @Test
  @Order(2)
  void plansCalciteWouldRunInTheJvmAreRefusedToAnalysts() throws Exception {
    String recursive = "WITH RECURSIVE t(n) AS (VALUES (1) UNION ALL SELECT n + 1 FROM t WHERE n < 2000000000)"
        + " SELECT count(*) FROM t";
    // a condition Lode's ClickHouse join does not take (|| in a non-equi part): Calcite would hash-join
    // 600k x 85k rows in the JVM (its plan: EnumerableHashJoin over two JDBC scans)
    String jvmJoin = "SELECT count(*) FROM events AS a JOIN events AS b ON a.quantity = b.quantity"
        + " AND a.event_id <> b.event_id || 'x'";
    List<String> outcomes = Collections.synchronizedList(new ArrayList<>());
    long[] took = new long[1];
    long p99 = p99(probe(() -> {
      long t0 = System.nanoTime();
      for (String sql : List.of(recursive, jvmJoin)) {
        try (Connection c = sql("analyst", ANALYST_PASSWORD); Statement st = c.createStatement()) {
          st.executeQuery(sql).next();
          outcomes.add("ran");
        } catch (SQLException e) {
          outcomes.add(e.getSQLState() + " " + e.getMessage());
        }
      }
      took[0] = (System.nanoTime() - t0) / 1_000_000;
    }, SAMPLES), "WITH RECURSIVE … n < 2000000000, and a join Calcite would run in the JVM (analyst)");
    assertTrue(outcomes.get(0).startsWith("42501 ") && outcomes.get(0).contains("WITH RECURSIVE"), outcomes.get(0));
    assertTrue(outcomes.get(1).startsWith("42501 ") && outcomes.get(1).contains("JVM"), outcomes.get(1));
    figures.add("recursive query and JVM-side join refused in " + took[0] + " ms together: "
        + outcomes.stream().map(o -> o.substring(0, 5)).toList());
    assertBounded(p99);
    assertTrue(server.alive());
  }

  @Test
  @Order(3)
  void aClientThatDisconnectsMidQueryHasItsStatementCancelled() throws Exception {
    // the join analysts are refused (Calcite hash-joins 600k x 85k rows in the JVM): an admin may run
    // it, and it would run into the statement timeout
    String slow = "SELECT count(*) FROM events AS a JOIN events AS b ON a.quantity = b.quantity"
        + " AND a.event_id <> b.event_id || 'x'";
    String auth = ServerProcess.basic("admin", ServerProcess.ADMIN_PASSWORD);
    String connection = "disconnecting-" + System.nanoTime();
    ServerProcess.Answer open = server.post("/avatica", ("{\"request\":\"openConnection\",\"connectionId\":\""
        + connection + "\"}").getBytes(StandardCharsets.UTF_8), "Content-Type", "application/json", "Authorization", auth);
    assertEquals(200, open.status(), open.body());
    ServerProcess.Answer created = server.post("/avatica", ("{\"request\":\"createStatement\",\"connectionId\":\""
        + connection + "\"}").getBytes(StandardCharsets.UTF_8), "Content-Type", "application/json", "Authorization", auth);
    assertEquals(200, created.status(), created.body());
    long statement = new com.fasterxml.jackson.databind.ObjectMapper().readTree(created.body()).get("statementId")
        .asLong();
    List<Object> outcome = new ArrayList<>();
    long p99 = p99(probe(() -> {
      URI uri = URI.create(server.url());
      byte[] body = ("{\"request\":\"prepareAndExecute\",\"connectionId\":\"" + connection + "\",\"statementId\":"
          + statement + ",\"sql\":\"" + slow + "\",\"maxRowCount\":-1,\"maxRowsInFirstFrame\":-1}")
          .getBytes(StandardCharsets.UTF_8);
      try (Socket s = new Socket(uri.getHost(), uri.getPort())) {
        OutputStream out = s.getOutputStream();
        out.write(("POST /avatica HTTP/1.1\r\nHost: lode\r\nContent-Type: application/json\r\nAuthorization: " + auth
            + "\r\nContent-Length: " + body.length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        out.write(body);
        out.flush();
        sleep(1000);
      } // the client goes away without its answer
      // the audit log says how the statement ended, and when
      try (Connection admin = sql("admin", ServerProcess.ADMIN_PASSWORD)) {
        long until = System.nanoTime() + (TIMEOUT_SECONDS + 15) * 1_000_000_000L;
        while (outcome.isEmpty() && System.nanoTime() < until) {
          try (Statement st = admin.createStatement();
               ResultSet rs = st.executeQuery("SELECT status, duration_ms, error FROM audit.queries WHERE query_id = '"
                   + connection + "/" + statement + "' AND status <> 'started'")) {
            if (rs.next()) {
              outcome.addAll(List.of(rs.getString(1), rs.getLong(2), rs.getString(3)));
            }
          }
          sleep(250);
        }
      }
    }, SAMPLES), "a client that sends a JVM-side join running past the timeout and disconnects after 1 s (admin)");
    ServerProcess.Answer closed = server.post("/avatica", ("{\"request\":\"closeConnection\",\"connectionId\":\""
        + connection + "\"}").getBytes(StandardCharsets.UTF_8), "Content-Type", "application/json", "Authorization", auth);
    assertEquals(200, closed.status(), closed.body());
    assertEquals(3, outcome.size(), "the statement never ended in the audit log");
    assertEquals("cancelled", outcome.get(0), outcome.toString());
    assertTrue(String.valueOf(outcome.get(2)).contains("closed its connection"), outcome.toString());
    assertTrue((Long) outcome.get(1) < TIMEOUT_SECONDS * 1000L, "ran into the timeout instead: " + outcome);
    figures.add("disconnect: the statement ended '" + outcome.get(0) + "' after " + outcome.get(1) + " ms (timeout "
        + TIMEOUT_SECONDS + " s, client gone after 1 s)");
    assertBounded(p99);
    assertTrue(server.alive());
  }

  @Test
  @Order(4)
  void slowBodiesWithoutCredentialsDoNotTakeTheThreads() throws Exception {
    List<Socket> slow = new ArrayList<>();
    int[] busy = new int[1];
    boolean[] natServed = new boolean[1];
    AtomicBoolean trickling = new AtomicBoolean(true);
    URI uri = URI.create(server.url());
    Thread trickle = Thread.ofPlatform().daemon().start(() -> {
      while (trickling.get()) {
        synchronized (slow) {
          for (Socket s : slow) {
            try {
              s.getOutputStream().write(' ');
              s.getOutputStream().flush();
            } catch (Exception closed) {
              // answered and closed by the server
            }
          }
        }
        sleep(1000);
      }
    });
    long p99;
    try {
      p99 = p99(probe(() -> {
        for (int i = 0; i < 70; i++) {
          try {
            Socket s = new Socket(uri.getHost(), uri.getPort());
            s.setSoTimeout(3000);
            OutputStream out = s.getOutputStream();
            out.write(("POST /v1/batch HTTP/1.1\r\nHost: lode\r\nContent-Type: application/json\r\n"
                + "Content-Length: 1000000\r\n\r\n{\"batch\":[").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            synchronized (slow) {
              slow.add(s);
            }
          } catch (Exception e) {
            throw new IllegalStateException(e);
          }
        }
        // those past the gate are answered at once, before their bodies
        for (Socket s : new ArrayList<>(slow)) {
          try {
            InputStream in = s.getInputStream();
            byte[] head = new byte[12];
            int n = in.readNBytes(head, 0, 12);
            if (n == 12 && new String(head, StandardCharsets.US_ASCII).endsWith("503")) {
              busy[0]++;
            }
          } catch (Exception timeout) {
            // held: its body is being read
          }
        }
        // a collector client that sends its write key in the header is served meanwhile
        try {
          ServerProcess.Answer ok = server.post("/v1/track", "{\"event\":\"during_slow\",\"userId\":\"u-slow\","
              + "\"messageId\":\"slow-1\"}");
          assertEquals(200, ok.status(), ok.body());
        } catch (Exception e) {
          throw new IllegalStateException(e);
        }
        // so is a BI server at another address whose driver sends credentials as connection
        // properties (Metabase's), without an Authorization header: the bound is per address
        try {
          int status = postFrom("127.0.0.2", "/avatica", "{\"request\":\"openConnection\",\"connectionId\":"
              + "\"nat-1\",\"info\":{\"user\":\"viewer\",\"password\":\"" + VIEWER_PASSWORD + "\"}}");
          assertEquals(200, status);
          natServed[0] = true;
        } catch (Exception e) {
          throw new IllegalStateException(e);
        }
        sleep(3000);
      }, SAMPLES), "70 slow bodies without credentials from one address (64 HTTP threads)");
    } finally {
      trickling.set(false);
      trickle.join();
      synchronized (slow) {
        for (Socket s : slow) {
          s.close();
        }
      }
    }
    // lode.http.anonymous-requests-per-address=4 of them are read; a slow machine may let a few more in
    assertTrue(busy[0] >= 70 - 4 - 4, "answered 503 before their bodies: " + busy[0] + " of 70");
    assertTrue(natServed[0]);
    figures.add("slow bodies: " + busy[0] + " of 70 answered 503 before their bodies were read; a credential-less"
        + " client at another address served");
    assertBounded(p99);
    assertTrue(server.alive());
  }

  @Test
  @Order(5)
  void oneUsersConnectionsAreBoundedNotTheAddresses() throws Exception {
    List<Connection> mine = new ArrayList<>();
    String[] refused = new String[1];
    boolean[] othersServed = new boolean[1];
    int[] opened = new int[1];
    long p99 = p99(probe(() -> {
      try {
        for (int i = 0; i < CONNECTIONS_PER_USER + 4 && refused[0] == null; i++) {
          try {
            Connection c = sql("analyst", ANALYST_PASSWORD);
            c.createStatement().close(); // Avatica opens the connection on the server at its first use
            mine.add(c);
          } catch (SQLException e) {
            refused[0] = e.getSQLState() + " " + e.getMessage();
          } catch (org.apache.calcite.avatica.AvaticaClientRuntimeException e) {
            // avatica-core opens the connection inside DriverManager.getConnection and throws this
            refused[0] = e.getSqlState() + " " + e.getMessage();
          }
        }
        opened[0] = mine.size();
        // another user from the same address is not locked out, and a closed connection frees a place
        try (Connection other = sql("viewer", VIEWER_PASSWORD)) {
          othersServed[0] = trivial(other) == server.count(NATIVE_TRIVIAL);
        }
        mine.removeFirst().close();
        Connection again = sql("analyst", ANALYST_PASSWORD);
        again.createStatement().close();
        mine.add(again);
      } finally {
        for (Connection c : mine) {
          c.close();
        }
      }
    }, SAMPLES), CONNECTIONS_PER_USER + 1 + " connections of one analyst (lode.sql.connections-per-user="
        + CONNECTIONS_PER_USER + ")");
    assertTrue(opened[0] <= CONNECTIONS_PER_USER, opened[0] + " connections opened");
    assertTrue(refused[0] != null && refused[0].startsWith("53300 ")
        && refused[0].contains("lode.sql.connections-per-user=" + CONNECTIONS_PER_USER), String.valueOf(refused[0]));
    assertTrue(othersServed[0]);
    figures.add("connections: the analyst's connection " + (CONNECTIONS_PER_USER + 1) + " refused with "
        + refused[0].substring(0, 5) + "; a viewer from the same address served; a closed one freed a place");
    assertBounded(p99);
    assertTrue(server.alive());
  }

  /** POSTs {@code json} without credentials in the headers from the local address {@code from}; the status code. */
  private int postFrom(String from, String path, String json) throws Exception {
    URI uri = URI.create(server.url());
    byte[] body = json.getBytes(StandardCharsets.UTF_8);
    try (Socket s = new Socket()) {
      s.bind(new java.net.InetSocketAddress(from, 0));
      s.connect(new java.net.InetSocketAddress(uri.getHost(), uri.getPort()), 5000);
      s.setSoTimeout(10_000);
      OutputStream out = s.getOutputStream();
      out.write(("POST " + path + " HTTP/1.1\r\nHost: lode\r\nContent-Type: application/json\r\nConnection: close\r\n"
          + "Content-Length: " + body.length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
      out.write(body);
      out.flush();
      String status = new String(s.getInputStream().readNBytes(12), StandardCharsets.US_ASCII);
      return Integer.parseInt(status.substring(9, 12));
    }
  }

  @Test
  @Order(6) // last: the address it guesses from backs off, and only sessions that logged in before keep working
  void guessedPasswordsBackOff() throws Exception {
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    int[] unauthorized = new int[1];
    int[] backedOff = new int[1];
    int[] keysBackedOff = new int[1];
    Connection analyst = sql("analyst", ANALYST_PASSWORD);
    long p99 = p99(probe(() -> {
      try {
        for (int i = 0; i < 200; i++) {
          HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(server.url() + "/avatica"))
                  .header("Authorization", ServerProcess.basic("analyst", "guess-" + i))
                  .POST(HttpRequest.BodyPublishers.ofString("{\"request\":\"openConnection\",\"connectionId\":\"g"
                      + i + "\"}")).build(), HttpResponse.BodyHandlers.ofString());
          if (r.statusCode() == 401) {
            unauthorized[0]++;
          } else if (r.statusCode() == 429 && r.headers().firstValue("Retry-After").isPresent()) {
            backedOff[0]++;
          }
        }
        for (int i = 0; i < 50; i++) {
          // on this test's own client, busy since the loop above: the fixture's shared client may hold a
          // connection idle past the server's idle timeout from an earlier test, which the server has closed
          // (seen as "Broken pipe" then "header parser received no bytes" on its reuse)
          HttpResponse<String> a = http.send(HttpRequest.newBuilder(URI.create(server.url() + "/v1/track"))
              .header("Content-Type", "application/json")
              .header("Authorization", ServerProcess.basic("guessed-key-" + i, ""))
              .POST(HttpRequest.BodyPublishers.ofString("{\"event\":\"x\",\"userId\":\"u\"}")).build(),
              HttpResponse.BodyHandlers.ofString());
          if (a.statusCode() == 429 && a.body().contains("too_many_failed_logins")) {
            keysBackedOff[0]++;
          }
        }
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    }, SAMPLES), "200 wrong passwords and 50 wrong write keys");
    // 5 failures are free, then 1 s, 2 s, 4 s …: a slow machine may get one or two more checked
    assertTrue(unauthorized[0] >= 5 && unauthorized[0] <= 8, "wrong passwords checked: " + unauthorized[0]);
    assertEquals(200 - unauthorized[0], backedOff[0]);
    // the address had failed about 5 times already; 20 are free
    assertTrue(keysBackedOff[0] >= 25, "wrong write keys refused without a check: " + keysBackedOff[0]);
    figures.add("logins: 200 wrong passwords -> " + unauthorized[0] + " checked (401), " + backedOff[0]
        + " refused with 429 + Retry-After; 50 wrong write keys -> " + keysBackedOff[0] + " refused with 429");
    // a session that logged in before keeps working while its user and address back off
    try (Statement st = analyst.createStatement();
         ResultSet rs = st.executeQuery("SELECT count(*) FROM events WHERE event_name = 'purchase'")) {
      assertTrue(rs.next());
      assertEquals(server.count("SELECT count() FROM events WHERE event_name = 'purchase'"), rs.getLong(1));
    }
    analyst.close();
    assertBounded(p99);
    assertTrue(server.alive());
  }

  // ---- the timed trivial query -------------------------------------------------------------

  /** Runs {@code attack} while timing the viewer's trivial query; at least {@code samples} samples. */
  private List<Long> probe(TrivialQueryProbe.Attack attack, int samples) throws Exception {
    return TrivialQueryProbe.during(attack, samples, 10, () -> trivial(viewer), () -> server.count(NATIVE_TRIVIAL));
  }

  private long p99(List<Long> times, String what) {
    List<Long> sorted = new ArrayList<>(times);
    Collections.sort(sorted);
    long p99 = sorted.get((int) Math.ceil(sorted.size() * 0.99) - 1);
    long p50 = sorted.get(sorted.size() / 2);
    figures.add(what + ": trivial query n=" + sorted.size() + " p50=" + p50 + " ms p99=" + p99 + " ms max="
        + sorted.getLast() + " ms");
    return p99;
  }

  private void assertBounded(long p99) {
    long bound = Math.max(1000, 3 * baselineP99);
    assertTrue(p99 < bound, "trivial query p99 " + p99 + " ms under attack, bound " + bound + " ms (baseline p99 "
        + baselineP99 + " ms)");
  }

  private static long trivial(Connection c) throws SQLException {
    try (Statement st = c.createStatement();
         ResultSet rs = st.executeQuery(TRIVIAL)) {
      rs.next();
      return rs.getLong(1);
    }
  }

  private Connection sql(String user, String password) throws SQLException {
    Properties p = new Properties();
    p.setProperty("authentication", "BASIC");
    p.setProperty("avatica_user", user);
    p.setProperty("avatica_password", password);
    return DriverManager.getConnection("jdbc:avatica:remote:url=" + server.url() + "/avatica;serialization=protobuf",
        p);
  }

  private static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
