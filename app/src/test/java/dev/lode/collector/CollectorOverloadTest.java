package dev.lode.collector;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Overload: when the warehouse falls behind by more than the pending-bytes bound, the
 * collector answers 429 with Retry-After instead of buffering without limit, and what it
 * accepted before is still stored once the flusher catches up (here: at shutdown).
 */
class CollectorOverloadTest {
  @TempDir
  Path home;

  @Test
  void behindWarehouseAnswers429WithRetryAfter() throws Exception {
    // a bound of 0 MB and a one-minute flush interval: anything pending means "behind"
    ServerProcess server = ServerProcess.start(home, Map.of("lode.collector.max-pending-mb", "0",
        "lode.collector.flush-interval-ms", "60000"));
    try {
      ServerProcess.Answer first = server.post("/v1/track", "{\"event\":\"e\",\"userId\":\"u1\",\"messageId\":\"o-1\"}");
      assertEquals(200, first.status(), first.body());
      ServerProcess.Answer second = server.post("/v1/track", "{\"event\":\"e\",\"userId\":\"u1\",\"messageId\":\"o-2\"}");
      assertEquals(429, second.status(), second.body());
      assertTrue(second.body().contains("\"reason\":\"overloaded\""), second.body());
      assertEquals("1", second.response().headers().firstValue("Retry-After").orElse(""));
      String metrics = server.get("/metrics", "Authorization",
          ServerProcess.basic("admin", ServerProcess.ADMIN_PASSWORD)).body();
      assertTrue(metrics.contains("lode_collector_requests_total{status=\"429\",reason=\"overloaded\"} 1"), metrics);
    } finally {
      server.close(); // SIGTERM; what was accepted is stored by the shutdown flush or the replay at restart
    }
    server.launch();
    try {
      assertEquals(1, server.awaitCount("SELECT count() FROM events WHERE event_id LIKE 'o-%'", 1, 30_000));
      assertEquals("o-1", server.column("SELECT event_id FROM events WHERE event_id LIKE 'o-%'").get(0));
    } finally {
      server.close();
    }
  }
}
