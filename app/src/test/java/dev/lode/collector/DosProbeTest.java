package dev.lode.collector;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Properties;
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
 * The cheapest denial-of-service cases of the privacy review at a reduced size, against a real
 * server process: slow connections without credentials (heads and bodies trickled), batches
 * whose event names carry line breaks next to valid events, and wrong passwords. During each,
 * a viewer's trivial query must keep answering right within a generous bound (this is CI on a
 * shared machine; the p99 figures come from {@code bin/lode bench dos}), the attack must get its
 * documented answer, and the server must stay up.
 */
@Tag("latency-bound") // asserts a trivial query's p99: runs alone (app/pom.xml)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DosProbeTest {
  private static final String VIEWER_PASSWORD = "viewer-password";
  /** Every trivial query during an attack answers within this, or three times the slowest without an attack. */
  private static final long BOUND_MS = 10_000;

  @TempDir
  static Path home;
  private ServerProcess server;
  private Connection viewer;
  private long bound;

  @BeforeAll
  void start() throws Exception {
    Path data = home.resolve("data");
    Files.createDirectories(data);
    Files.writeString(data.resolve("credentials.properties"), "user.admin.password=" + ServerProcess.ADMIN_PASSWORD
        + "\nuser.admin.role=admin\nuser.analyst.password=analyst-password\nuser.analyst.role=analyst\n"
        + "user.viewer.password=" + VIEWER_PASSWORD + "\nuser.viewer.role=viewer\nwritekey."
        + ServerProcess.WRITE_KEY + "=web\n");
    server = ServerProcess.start(home, Map.of("lode.demo.enabled", "false"));
    viewer = sql("viewer", VIEWER_PASSWORD);
    List<Long> baseline = probe(() -> Thread.sleep(2000));
    bound = Math.max(BOUND_MS, 3 * Collections.max(baseline));
  }

  @AfterAll
  void stop() throws Exception {
    if (viewer != null) {
      viewer.close();
    }
    if (server != null) {
      server.close();
    }
  }

  @Test
  @Order(1)
  void slowConnectionsWithoutCredentialsLeaveTheServerAnswering() throws Exception {
    URI uri = URI.create(server.url());
    List<Socket> heads = new ArrayList<>();
    List<Socket> bodies = new ArrayList<>();
    int[] busy = new int[1];
    try {
      assertAnswered(probe(() -> {
        for (int i = 0; i < 10; i++) {
          Socket h = new Socket(uri.getHost(), uri.getPort());
          h.getOutputStream().write("POST /avatica HTTP/1.1\r\nHost: lode\r\nX-Slow: ".getBytes(StandardCharsets.US_ASCII));
          heads.add(h);
        }
        for (int i = 0; i < 20; i++) {
          Socket b = new Socket(uri.getHost(), uri.getPort());
          b.getOutputStream().write(("POST /v1/batch HTTP/1.1\r\nHost: lode\r\nContent-Type: application/json\r\n"
              + "Content-Length: 100000\r\n\r\n{\"batch\":[").getBytes(StandardCharsets.US_ASCII));
          bodies.add(b);
        }
        for (int second = 0; second < 4; second++) {
          for (Socket s : heads) {
            s.getOutputStream().write('a');
          }
          for (Socket s : bodies) {
            try {
              s.getOutputStream().write(' ');
            } catch (java.io.IOException answered) {
              // answered 503 and closed
            }
          }
          Thread.sleep(1000);
        }
        for (Socket s : bodies) {
          s.setSoTimeout(500);
          if (status(s).equals("503")) {
            busy[0]++;
          }
        }
      }));
    } finally {
      for (Socket s : heads) {
        s.close();
      }
      for (Socket s : bodies) {
        s.close();
      }
    }
    // lode.http.anonymous-requests-per-address (default 4) bodies are read; the rest are answered 503 at once
    assertTrue(busy[0] >= 20 - 4 - 2, "answered 503 before their bodies: " + busy[0] + " of 20");
    assertTrue(server.alive());
  }

  @Test
  @Order(2)
  void badEventNamesInBatchesLeaveTheServerAnsweringAndTheValidEventsKept() throws Exception {
    String[] bad = {"line\nbreak", "carriage\rreturn", "next\u0085line", "line\u2028sep"};
    List<Integer> statuses = new ArrayList<>();
    int batches = 20;
    assertAnswered(probe(() -> {
      for (int n = 0; n < batches; n++) {
        StringBuilder b = new StringBuilder("{\"batch\":[");
        for (int i = 0; i < 6; i++) {
          String name = i < 2 ? "dos_valid" : bad[i - 2];
          b.append(i == 0 ? "" : ",").append("{\"type\":\"track\",\"event\":")
              .append(com.fasterxml.jackson.databind.node.TextNode.valueOf(name))
              .append(",\"userId\":\"u-").append(i).append("\",\"messageId\":\"dos-").append(n).append('-').append(i)
              .append("\"}");
        }
        statuses.add(server.post("/v1/batch", b.append("]}").toString()).status());
      }
    }));
    assertEquals(Collections.nCopies(batches, 200), statuses);
    assertEquals(2L * batches, server.awaitCount("SELECT count() FROM events WHERE event_name = 'dos_valid'",
        2L * batches, 30_000));
    assertEquals(4L * batches, server.awaitCount("SELECT count() FROM quarantine WHERE reason_code ="
        + " 'invalid_event_name'", 4L * batches, 30_000));
    assertTrue(server.alive());
  }

  @Test
  @Order(3) // last: the address it guesses from backs off
  void wrongPasswordsLeaveTheServerAnswering() throws Exception {
    int[] refused = new int[2];
    assertAnswered(probe(() -> {
      for (int i = 0; i < 40; i++) {
        ServerProcess.Answer a = server.post("/avatica", ("{\"request\":\"openConnection\",\"connectionId\":\"g" + i
            + "\"}").getBytes(StandardCharsets.UTF_8), "Content-Type", "application/json", "Authorization",
            ServerProcess.basic("analyst", "guess-" + i));
        refused[a.status() == 429 ? 1 : 0]++;
      }
    }));
    // 5 failures in a row are checked (401), the rest backed off (429); a slow machine may get one or two more checked
    assertTrue(refused[1] >= 40 - 8, "backed off: " + refused[1] + " of 40");
    assertTrue(server.alive());
  }

  // ---- the timed trivial query --------------------------------------------------------------

  /** Times the viewer's trivial query every 100 ms while {@code attack} runs, checking each answer. */
  private List<Long> probe(TrivialQueryProbe.Attack attack) throws Exception {
    return TrivialQueryProbe.during(attack, 5, 100, this::trivial, () -> server.count("SELECT count() FROM tags"));
  }

  private void assertAnswered(List<Long> times) {
    assertTrue(Collections.max(times) < bound, "the trivial query took up to " + Collections.max(times)
        + " ms under attack (bound " + bound + " ms): " + times);
  }

  private long trivial() throws SQLException {
    try (Statement st = viewer.createStatement(); ResultSet rs = st.executeQuery("SELECT count(*) FROM tags")) {
      assertTrue(rs.next());
      return rs.getLong(1);
    }
  }

  private static String status(Socket s) {
    try {
      InputStream in = s.getInputStream();
      byte[] head = in.readNBytes(12);
      return head.length < 12 ? "closed" : new String(head, 9, 3, StandardCharsets.US_ASCII);
    } catch (SocketTimeoutException e) {
      return "none";
    } catch (Exception e) {
      return "closed";
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
}
