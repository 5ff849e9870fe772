package dev.lode.collector;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The collector's contract under a crash: clients post batches over HTTP (with retries
 * of answered batches and duplicated messageIds), the server is SIGKILLed mid-stream and
 * restarted, clients retry what was not answered — and the warehouse then holds exactly
 * the distinct events sent: none lost, none doubled, even in a plain {@code count()}.
 */
class CollectorCrashTest {
  private static final int CLIENTS = 4;
  private static final int BATCH = 40;

  @TempDir
  Path home;

  /** One client's batch: the ids it carries and whether the server has answered 200. */
  private record Batch(List<String> ids) {
  }

  @Test
  void sigkillMidStreamLosesNothingAndDoublesNothing() throws Exception {
    try (ServerProcess server = ServerProcess.start(home, Map.of("lode.collector.flush-interval-ms", "300"))) {
      Set<String> sent = ConcurrentHashMap.newKeySet();
      List<Batch> answered = new CopyOnWriteArrayList<>();
      AtomicBoolean stop = new AtomicBoolean();
      AtomicInteger failures = new AtomicInteger();
      AtomicInteger oks = new AtomicInteger();
      List<Thread> clients = new ArrayList<>();
      for (int c = 0; c < CLIENTS; c++) {
        int client = c;
        clients.add(Thread.ofPlatform().start(() -> {
          Random rnd = new Random(client);
          List<Batch> mine = new ArrayList<>();
          for (int b = 0; !stop.get(); b++) {
            List<String> ids = new ArrayList<>();
            for (int i = 0; i < BATCH; i++) {
              ids.add("c" + client + "-b" + b + "-e" + i);
            }
            if (!mine.isEmpty() && rnd.nextInt(4) == 0) {
              // duplicates of an earlier batch's messageIds ride along
              ids.addAll(mine.get(rnd.nextInt(mine.size())).ids().subList(0, 5));
            }
            Batch batch = new Batch(ids);
            sent.addAll(ids);
            deliver(server, batch, stop, failures);
            oks.incrementAndGet();
            answered.add(batch);
            mine.add(batch);
            if (rnd.nextInt(3) == 0) {
              deliver(server, batch, stop, failures); // a client retry of an answered batch
            }
          }
        }));
      }
      long deadline = System.currentTimeMillis() + 120_000;
      while (oks.get() < 25 && System.currentTimeMillis() < deadline) {
        Thread.sleep(50);
      }
      Thread.sleep(300);
      int before = oks.get();
      server.kill();
      int failuresAtKill = failures.get();
      Thread.sleep(500);
      server.launch();
      Thread.sleep(2000);
      stop.set(true);
      for (Thread t : clients) {
        t.join(120_000);
      }
      assertTrue(before >= 25, "batches answered before the kill: " + before);
      assertTrue(failures.get() > failuresAtKill || failures.get() > 0, "the kill interrupted requests");
      // answered batches retried after the restart are duplicates, not new rows
      for (Batch b : answered.subList(0, 5)) {
        ServerProcess.Answer a = server.post("/v1/batch", batchJson(b));
        assertEquals(200, a.status(), a.body());
        assertTrue(a.body().contains("\"accepted\":0"), a.body());
      }
      System.out.printf("crash test: %d distinct ids sent, %d batches answered (%d before the kill), %d failed"
          + " attempts%n%s%n", sent.size(), answered.size(), before, failures.get(),
          server.log().lines().filter(l -> l.contains("spool") || l.contains("dedup")).toList());
      long n = server.awaitCount("SELECT count() FROM events WHERE source = 'web'", sent.size(), 60_000);
      assertEquals(sent.size(), n, "rows in events (plain count) vs distinct ids sent");
      assertEquals(sent.size(), server.count("SELECT uniqExact(event_id) FROM events WHERE source = 'web'"));
      assertEquals(sent.size(), server.count("SELECT count() FROM events FINAL WHERE source = 'web'"));
      Set<String> stored = new HashSet<>(server.column("SELECT event_id FROM events WHERE source = 'web'"));
      assertEquals(sent, stored);
      String metrics = server.get("/metrics", "Authorization",
          ServerProcess.basic("admin", ServerProcess.ADMIN_PASSWORD)).body();
      assertTrue(metrics.contains("lode_collector_events_deduplicated_total"), metrics);
    }
  }

  /** Posts until answered 200, retrying through connection failures (the server may be down). */
  private static void deliver(ServerProcess server, Batch b, AtomicBoolean stop, AtomicInteger failures) {
    for (int attempt = 0; attempt < 600; attempt++) {
      try {
        ServerProcess.Answer a = server.post("/v1/batch", batchJson(b));
        if (a.status() == 200) {
          return;
        }
        failures.incrementAndGet();
      } catch (Exception e) {
        failures.incrementAndGet();
      }
      try {
        Thread.sleep(100);
      } catch (InterruptedException e) {
        return;
      }
    }
    throw new IllegalStateException("batch never answered");
  }

  /** A batch whose sentAt changes on every send, as a real SDK's retry does. */
  static String batchJson(Batch b) {
    Instant now = Instant.now();
    StringBuilder s = new StringBuilder("{\"sentAt\":\"").append(now).append("\",\"batch\":[");
    for (int i = 0; i < b.ids().size(); i++) {
      String id = b.ids().get(i);
      s.append(i == 0 ? "" : ",").append("{\"type\":\"track\",\"event\":\"product_view\",\"messageId\":\"").append(id)
          .append("\",\"anonymousId\":\"anon-").append(id.substring(0, id.indexOf('-'))).append("\",\"timestamp\":\"")
          .append(now.minusMillis(1500)).append("\",\"properties\":{\"product_id\":\"p").append(i)
          .append("\",\"price\":9.99}}");
    }
    return s.append("]}").toString();
  }
}
