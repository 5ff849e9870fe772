package dev.lode.collector;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lode.config.Credentials;
import dev.lode.config.LodeConfig;
import dev.lode.testing.TestWarehouse;
import java.io.ByteArrayInputStream;
import java.lang.reflect.Field;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

/**
 * A wait for durability that times out while the batch is still being written: the client
 * gets a 503, and its retry must be a duplicate of the batch already spooled, never a
 * second copy.
 */
class CollectorDurabilityTest {

  @Test
  void retryAfterADurabilityTimeoutIsADuplicate() throws Exception {
    Path dir = TestWarehouse.freshDir("durable-timeout");
    Path credentials = dir.resolve("credentials.properties");
    Files.writeString(credentials, "writekey.dt-key=durable-test\n");
    LodeConfig config = TestWarehouse.config().with("lode.collector.spool.dir", dir.resolve("spool").toString())
        .with("lode.credentials.file", credentials.toString()).with("lode.collector.durable-timeout-ms", "300");
    try (Collector collector = Collector.start(config, Credentials.load(config), TestWarehouse.get())) {
      String body = "{\"batch\":[{\"type\":\"track\",\"event\":\"e\",\"userId\":\"u-dt\",\"messageId\":\"dt-1\"},"
          + "{\"type\":\"track\",\"event\":\"e\",\"userId\":\"u-dt\",\"messageId\":\"dt-2\"}]}";
      Object spoolLock = field(field(collector, "spool"), "lock");
      CountDownLatch held = new CountDownLatch(1);
      CountDownLatch release = new CountDownLatch(1);
      // the fsync thread needs the spool's lock to write: holding it stalls the write past the timeout
      Thread stall = Thread.ofPlatform().start(() -> {
        synchronized (spoolLock) {
          held.countDown();
          try {
            release.await();
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
        }
      });
      held.await();
      Collector.Outcome first = post(collector, body);
      assertEquals(503, first.status(), first.json());
      release.countDown();
      stall.join();
      Collector.Outcome retry = post(collector, body);
      assertEquals(200, retry.status(), retry.json());
      JsonNode answer = new ObjectMapper().readTree(retry.json());
      assertEquals(0, answer.get("accepted").asInt(), retry.json());
      assertEquals(2, answer.get("duplicates").asInt(), retry.json());
      assertTrue(collector.metrics().accepted.sum() == 0, "the timed-out batch was never answered 200");
    }
  }

  private static Collector.Outcome post(Collector c, String body) {
    byte[] b = body.getBytes(StandardCharsets.UTF_8);
    return c.segment("batch", "dt-key", "application/json", null, b.length, new ByteArrayInputStream(b));
  }

  private static Object field(Object o, String name) throws ReflectiveOperationException {
    Field f = o.getClass().getDeclaredField(name);
    f.setAccessible(true);
    return f.get(o);
  }
}
