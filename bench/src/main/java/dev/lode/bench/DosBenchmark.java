package dev.lode.bench;

import java.io.InputStream;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * {@code bin/lode bench dos [events] [hold-seconds] [heap] [attacks]}: the denial-of-service cases of the
 * privacy review, each run against a real server ({@code lode serve} in its own JVM, default
 * settings but for the data directory and port) while a viewer's trivial queries are timed
 * every 100 ms ({@link TrivialProber}), after a baseline of the same queries with no attack:
 * (a) an analyst leaving three results of every event unfetched, (b) {@code WITH RECURSIVE …
 * n < 2000000000} from an analyst, and from an admin whose client disconnects, (c) 70 slow
 * connections without credentials trickling their headers or bodies, (d) batches whose event
 * names carry line breaks next to valid events, (e) 200 wrong passwords. Printed per attack:
 * the probe's samples, p50/p99/max, errors, the attack's own outcome, whether the server is
 * up, the heap's high-water mark (from the server's GC log) and the load average.
 */
public final class DosBenchmark implements Benchmark {
  private static final String RECURSIVE = "WITH RECURSIVE t(n) AS (VALUES (1) UNION ALL SELECT n + 1 FROM t"
      + " WHERE n < 2000000000) SELECT count(*) FROM t";
  private static final String EVERY_EVENT = "SELECT event_time, quantity, event_name, event_type FROM events";
  private static final String[] BAD_NAMES = {"line\nbreak", "carriage\rreturn", "next\u0085line", "line\u2028sep"};

  @Override
  public String name() {
    return "dos";
  }

  @Override
  public String summary() {
    return "a viewer's trivial query (p50/p99/max, every 100 ms) during each denial-of-service attack of the privacy"
        + " review, against a server in its own JVM; args: [events=1000000] [hold-seconds=20] [heap=1g] [attacks=abcde]";
  }

  @Override
  public void run(List<String> args) throws Exception {
    int events = args.isEmpty() ? 1_000_000 : Integer.parseInt(args.get(0).replace("_", ""));
    int holdSeconds = args.size() < 2 ? 20 : Integer.parseInt(args.get(1));
    String heap = args.size() < 3 ? "1g" : args.get(2);
    String only = args.size() < 4 ? "abcde" : args.get(3);
    int baselineTicks = holdSeconds * 5; // half the hold, at 100 ms a tick
    Path home = Files.createTempDirectory("lode-bench-dos-");
    List<TrivialProber.Phase> phases = new ArrayList<>();
    try (ChildServer server = ChildServer.start(home, heap, Map.of("lode.demo.enabled", "false",
        "lode.sql.max-rows", Integer.toString(Math.max(1_000_000, events))))) {
      seed(server, events);
      System.out.printf("bench dos: a server in its own JVM (-Xmx%s, default limits), %,d events; a viewer's %s and"
          + " %s every %d ms over avatica-core (protobuf), each answer checked against ClickHouse; a baseline of %d"
          + " ticks before each attack; %d cores%n", heap, events, TrivialProber.ONE, TrivialProber.SMALL,
          TrivialProber.PERIOD_MS, baselineTicks, Runtime.getRuntime().availableProcessors());
      TrivialProber prober = new TrivialProber(server);
      Dos dos = new Dos(server, events, holdSeconds);
      List<Map.Entry<String, TrivialProber.Attack>> attacks = List.of(
          Map.entry("(a) 3 results of every event left unfetched (analyst)", dos::unfetched),
          Map.entry("(b) WITH RECURSIVE n < 2e9: analyst; admin who disconnects", dos::recursive),
          Map.entry("(c) 70 slow connections without credentials", dos::slowloris),
          Map.entry("(d) event names with \\n \\r U+0085 U+2028 in batches", dos::badEventNames),
          // last: the address it guesses from backs off (sessions that logged in before keep working)
          Map.entry("(e) 200 wrong passwords", dos::passwordGuessing));
      for (Map.Entry<String, TrivialProber.Attack> a : attacks) {
        if (only.indexOf(a.getKey().charAt(1)) < 0) {
          continue;
        }
        TrivialProber.Phase base = prober.measure("    baseline", baselineTicks, () -> "—");
        print(base);
        phases.add(base);
        TrivialProber.Phase p = prober.measure(a.getKey(), baselineTicks, a.getValue());
        print(p);
        phases.add(p);
      }
      prober.close();
      System.out.println();
      System.out.printf("%-60s %5s %7s %7s %7s %5s %9s %9s %s%n", "phase", "n", "p50 ms", "p99 ms", "max ms", "err",
          "heap MB", "load", "p99 < 1 s");
      for (TrivialProber.Phase p : phases) {
        System.out.printf("%-60s %5d %7d %7d %7d %5d %9s %4.1f-%-4.1f %s%n", p.name(), p.all().size(), p.p50(),
            p.p99(), p.max(), p.errors(), p.heap(), p.loadBefore(),
            p.loadAfter(), p.p99() < 1000 && p.errors() == 0 ? "yes" : "NO");
      }
      System.out.printf("server up at the end: %s; OutOfMemoryError in its log: %s%n", server.alive(),
          server.ranOutOfMemory());
    } finally {
      InsertBenchmark.deleteTree(home);
    }
  }

  private static void print(TrivialProber.Phase p) {
    System.out.printf("%s: %d samples (%d of each query) in %.1f s, p50 %d ms, p99 %d ms, max %d ms, %d errors%s;"
            + " heap high-water %s; load %.1f → %.1f; server %s%n", p.name(), p.all().size(), p.oneMs().size(),
        p.tookMs() / 1000.0, p.p50(), p.p99(), p.max(), p.errors(),
        p.firstError() == null ? "" : " (first: " + p.firstError() + ")",
        p.heap().beforeMb() < 0 ? "— (no collection)" : p.heap().beforeMb() + " MB before a collection, "
            + p.heap().afterMb() + " MB after one", p.loadBefore(), p.loadAfter(),
        p.serverUp() ? "up" : "DOWN");
    if (!"—".equals(p.outcome())) {
      System.out.println("    the attack: " + p.outcome());
    }
  }

  /** Every event once, with ids, names and quantities a per-row check can sum. */
  private static void seed(ChildServer server, int events) throws Exception {
    try (Connection c = server.warehouse(); Statement st = c.createStatement()) {
      st.execute("INSERT INTO events (event_id, event_time, received_time, distinct_id, anonymous_id, event_type,"
          + " event_name, quantity) SELECT concat('dos-', toString(number)), now64(3) - number, now64(3),"
          + " concat('p-', toString(number % 1000)), concat('p-', toString(number % 1000)), 'track',"
          + " if(number % 10 = 0, 'purchase', 'page_view'), toInt32(number % 7) FROM numbers(" + events + ")");
    }
  }

  static double loadAverage() {
    return ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
  }

  /** The attacks, over one server. */
  private static final class Dos {
    private final ChildServer server;
    private final int events;
    private final int holdSeconds;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    Dos(ChildServer server, int events, int holdSeconds) {
      this.server = server;
      this.events = events;
      this.holdSeconds = holdSeconds;
    }

    /** (a) Three results of every event, first frame read, held for the hold time; then the first read to its end. */
    String unfetched() throws Exception {
      List<Connection> opened = new ArrayList<>();
      List<ResultSet> held = new ArrayList<>();
      List<String> outcomes = new ArrayList<>();
      try {
        for (int i = 0; i < 3; i++) {
          Connection c = server.sql("analyst", server.analystPassword);
          opened.add(c);
          try {
            Statement st = c.createStatement();
            ResultSet rs = st.executeQuery(EVERY_EVENT);
            rs.next();
            held.add(rs);
            outcomes.add("held");
          } catch (SQLException e) {
            outcomes.add(e.getSQLState() + " " + e.getMessage().lines().findFirst().orElse(""));
          }
        }
        long spillFiles = spillFiles();
        Thread.sleep(holdSeconds * 1000L);
        String drained = "";
        if (!held.isEmpty()) {
          long t0 = System.nanoTime();
          ResultSet rs = held.getFirst();
          long n = 1;
          long sum = rs.getLong(2);
          while (rs.next()) {
            n++;
            sum += rs.getLong(2);
          }
          long expected = server.count("SELECT count() FROM events");
          long expectedSum = server.count("SELECT sum(quantity) FROM events");
          drained = String.format("; the first read to its end in %.1f s: %,d rows, sum(quantity) %,d (ClickHouse:"
              + " %,d, %,d: %s)", (System.nanoTime() - t0) / 1e9, n, sum, expected, expectedSum,
              n == expected && sum == expectedSum ? "equal" : "DIFFERENT");
        }
        return String.format("%,d-row results: %s, %d spill files while held for %d s%s", events, outcomes,
            spillFiles, holdSeconds, drained);
      } finally {
        for (Connection c : opened) {
          c.close();
        }
      }
    }

    private long spillFiles() throws Exception {
      Path dir = server.dataDir().resolve("spill");
      if (!Files.isDirectory(dir)) {
        return 0;
      }
      try (var files = Files.list(dir)) {
        return files.filter(f -> f.getFileName().toString().endsWith(".spill")).count();
      }
    }

    /** (b) The recursion from an analyst (refused), then from an admin whose client vanishes after 1 s. */
    String recursive() throws Exception {
      String analyst;
      long t0 = System.nanoTime();
      try (Connection c = server.sql("analyst", server.analystPassword); Statement st = c.createStatement();
           ResultSet rs = st.executeQuery(RECURSIVE)) {
        rs.next();
        analyst = "ran: " + rs.getLong(1);
      } catch (SQLException e) {
        analyst = e.getSQLState();
      }
      long analystMs = (System.nanoTime() - t0) / 1_000_000;
      String auth = ChildServer.basic("admin", server.adminPassword);
      String connection = "dos-" + System.nanoTime();
      avatica(auth, "{\"request\":\"openConnection\",\"connectionId\":\"" + connection + "\"}");
      String created = avatica(auth, "{\"request\":\"createStatement\",\"connectionId\":\"" + connection + "\"}");
      long statement = new com.fasterxml.jackson.databind.ObjectMapper().readTree(created).get("statementId").asLong();
      byte[] body = ("{\"request\":\"prepareAndExecute\",\"connectionId\":\"" + connection + "\",\"statementId\":"
          + statement + ",\"sql\":\"" + RECURSIVE + "\",\"maxRowCount\":-1,\"maxRowsInFirstFrame\":-1}")
          .getBytes(StandardCharsets.UTF_8);
      URI uri = server.uri();
      try (Socket s = new Socket(uri.getHost(), uri.getPort())) {
        OutputStream out = s.getOutputStream();
        out.write(("POST /avatica HTTP/1.1\r\nHost: lode\r\nContent-Type: application/json\r\nAuthorization: " + auth
            + "\r\nContent-Length: " + body.length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        out.write(body);
        out.flush();
        Thread.sleep(1000);
      }
      long gone = System.nanoTime();
      String ended = "still running " + (holdSeconds + 10) + " s after its client left";
      try (Connection admin = server.sql("admin", server.adminPassword)) {
        long until = gone + (holdSeconds + 10) * 1_000_000_000L;
        while (System.nanoTime() < until) {
          try (Statement st = admin.createStatement();
               ResultSet rs = st.executeQuery("SELECT status, duration_ms FROM audit.queries WHERE query_id = '"
                   + connection + "/" + statement + "' AND status <> 'started'")) {
            if (rs.next()) {
              ended = "ended '" + rs.getString(1) + "' after " + rs.getLong(2) + " ms, "
                  + (System.nanoTime() - gone) / 1_000_000 + " ms after its client left";
              break;
            }
          }
          Thread.sleep(250);
        }
      }
      avatica(auth, "{\"request\":\"closeConnection\",\"connectionId\":\"" + connection + "\"}");
      return "analyst: " + analyst + " in " + analystMs + " ms; admin's, client gone after 1 s: " + ended;
    }

    private String avatica(String auth, String json) throws Exception {
      HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(server.url() + "/avatica"))
          .header("Content-Type", "application/json").header("Authorization", auth)
          .POST(HttpRequest.BodyPublishers.ofString(json)).build(), HttpResponse.BodyHandlers.ofString());
      if (r.statusCode() != 200) {
        throw new IllegalStateException("avatica answered " + r.statusCode() + ": " + r.body());
      }
      return r.body();
    }

    /**
     * (c) 35 connections trickling a request head one byte a second, 35 a collector body (no
     * credentials in the headers, 1 MB announced) one byte a second, for the hold time.
     */
    String slowloris() throws Exception {
      URI uri = server.uri();
      List<Socket> heads = new ArrayList<>();
      List<Socket> bodies = new ArrayList<>();
      for (int i = 0; i < 35; i++) {
        Socket h = new Socket(uri.getHost(), uri.getPort());
        h.getOutputStream().write("POST /avatica HTTP/1.1\r\nHost: lode\r\nX-Slow: ".getBytes(StandardCharsets.US_ASCII));
        heads.add(h);
        Socket b = new Socket(uri.getHost(), uri.getPort());
        b.getOutputStream().write(("POST /v1/batch HTTP/1.1\r\nHost: lode\r\nContent-Type: application/json\r\n"
            + "Content-Length: 1000000\r\n\r\n{\"batch\":[").getBytes(StandardCharsets.US_ASCII));
        bodies.add(b);
      }
      int[] closedHeads = new int[1];
      int[] closedBodies = new int[1];
      long until = System.nanoTime() + holdSeconds * 1_000_000_000L;
      try {
        while (System.nanoTime() < until) {
          closedHeads[0] = trickle(heads, (byte) 'a');
          closedBodies[0] = trickle(bodies, (byte) ' ');
          Thread.sleep(1000);
        }
        Map<String, Integer> answers = new TreeMap<>();
        for (Socket s : bodies) {
          s.setSoTimeout(200);
          answers.merge(status(s), 1, Integer::sum);
        }
        Map<String, Integer> headAnswers = new TreeMap<>();
        for (Socket s : heads) {
          s.setSoTimeout(200);
          headAnswers.merge(status(s), 1, Integer::sum);
        }
        return "after " + holdSeconds + " s of a byte a second: 35 slow heads answered " + headAnswers
            + "; 35 slow bodies answered " + answers + " (the server closed " + closedHeads[0] + " heads and "
            + closedBodies[0] + " bodies)";
      } finally {
        for (Socket s : heads) {
          s.close();
        }
        for (Socket s : bodies) {
          s.close();
        }
      }
    }

    /** Writes one byte to every socket; how many the server has closed. */
    private static int trickle(List<Socket> sockets, byte b) {
      int closed = 0;
      for (Socket s : sockets) {
        try {
          s.getOutputStream().write(b);
          s.getOutputStream().flush();
        } catch (Exception e) {
          closed++;
        }
      }
      return closed;
    }

    /** The status of what the server answered on {@code s} so far ("none" while it says nothing, "closed"). */
    private static String status(Socket s) {
      try {
        InputStream in = s.getInputStream();
        byte[] head = in.readNBytes(12);
        return head.length < 12 ? "closed" : new String(head, 9, 3, StandardCharsets.US_ASCII);
      } catch (java.net.SocketTimeoutException e) {
        return "none";
      } catch (Exception e) {
        return "closed";
      }
    }

    /** (d) Batches of 6 valid events and the 4 bad names, posted for the hold time; the valid ones must land. */
    String badEventNames() throws Exception {
      String auth = ChildServer.basic(server.writeKey, "");
      Map<Integer, Integer> statuses = new TreeMap<>();
      int batches = 0;
      long before = server.count("SELECT count() FROM events WHERE event_name = 'dos_valid'");
      long quarantinedBefore = server.count("SELECT count() FROM quarantine WHERE reason_code = 'invalid_event_name'");
      long until = System.nanoTime() + holdSeconds * 1_000_000_000L;
      while (System.nanoTime() < until) {
        StringBuilder b = new StringBuilder("{\"batch\":[");
        for (int i = 0; i < 10; i++) {
          String name = i < 6 ? "dos_valid" : BAD_NAMES[i - 6];
          b.append(i == 0 ? "" : ",").append("{\"type\":\"track\",\"event\":")
              .append(com.fasterxml.jackson.databind.node.TextNode.valueOf(name)).append(",\"userId\":\"u-")
              .append(i).append("\",\"messageId\":\"dos-").append(batches).append('-').append(i).append("\"}");
        }
        b.append("]}");
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(server.url() + "/v1/batch"))
            .header("Content-Type", "application/json").header("Authorization", auth)
            .POST(HttpRequest.BodyPublishers.ofString(b.toString())).build(), HttpResponse.BodyHandlers.ofString());
        statuses.merge(r.statusCode(), 1, Integer::sum);
        batches++;
        Thread.sleep(20);
      }
      long expected = 6L * batches;
      long landed = before;
      long deadline = System.nanoTime() + 30_000_000_000L;
      while ((landed = server.count("SELECT count() FROM events WHERE event_name = 'dos_valid'")) - before < expected
          && System.nanoTime() < deadline) {
        Thread.sleep(250);
      }
      long quarantined = server.count("SELECT count() FROM quarantine WHERE reason_code = 'invalid_event_name'")
          - quarantinedBefore;
      return String.format("%d batches of 10 answered %s; valid events in the warehouse %,d of %,d; quarantined as"
          + " invalid_event_name %,d of %,d", batches, statuses, landed - before, expected, quarantined, 4L * batches);
    }

    /** (e) 200 wrong passwords of the analyst, one after the other; then a session opened before still works. */
    String passwordGuessing() throws Exception {
      Connection before = server.sql("analyst", server.analystPassword);
      before.createStatement().close();
      Map<String, Integer> statuses = new TreeMap<>();
      long t0 = System.nanoTime();
      for (int i = 0; i < 200; i++) {
        try {
          HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(server.url() + "/avatica"))
              .header("Authorization", ChildServer.basic("analyst", "guess-" + i))
              .POST(HttpRequest.BodyPublishers.ofString("{\"request\":\"openConnection\",\"connectionId\":\"g" + i
                  + "\"}")).build(), HttpResponse.BodyHandlers.ofString());
          statuses.merge(Integer.toString(r.statusCode()), 1, Integer::sum);
        } catch (java.io.IOException e) {
          statuses.merge(e.getClass().getSimpleName(), 1, Integer::sum);
        }
      }
      long tookMs = (System.nanoTime() - t0) / 1_000_000;
      String session;
      try (Statement st = before.createStatement();
           ResultSet rs = st.executeQuery("SELECT count(*) FROM events WHERE event_name = 'purchase'")) {
        rs.next();
        long expected = server.count("SELECT count() FROM events WHERE event_name = 'purchase'");
        session = rs.getLong(1) == expected ? "answered right" : "answered " + rs.getLong(1) + " (ClickHouse "
            + expected + ")";
      } catch (SQLException e) {
        session = "failed: " + e.getSQLState() + " " + e.getMessage();
      } finally {
        before.close();
      }
      return "200 wrong passwords in " + tookMs + " ms answered " + statuses + "; the analyst's session opened before "
          + session;
    }
  }
}
