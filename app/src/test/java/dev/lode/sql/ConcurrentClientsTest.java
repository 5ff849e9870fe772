package dev.lode.sql;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lode.config.Credentials;
import java.sql.Connection;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * Ten remote clients run dashboard queries (trends, a funnel, retention, paths, distinct
 * counts, metadata; over the clickstream sample's range when it is loaded) at once for {@code lode.test.dashboard-seconds} (default 10; the 60 s run
 * is {@code -Dlode.test.dashboard-seconds=60}) and see zero errors.
 */
class ConcurrentClientsTest {
  private static final List<String> DASHBOARD = List.of(
      "SELECT * FROM TABLE(event_trends('pv', 'day', '2017-11-25', '2017-12-04'))",
      "SELECT * FROM TABLE(funnel('pv,cart,buy', 3600, 'ordered', '2017-11-25', '2017-12-04'))",
      "SELECT * FROM TABLE(retention('pv', 'buy', 'day', 4, 'first_time', '2017-11-25', '2017-12-04'))",
      "SELECT event_name, COUNT(*), COUNT(DISTINCT distinct_id) FROM events WHERE event_time < TIMESTAMP"
          + " '2018-01-01 00:00:00' GROUP BY event_name ORDER BY 2 DESC LIMIT 20",
      "SELECT DATE_TRUNC('day', event_time) AS d, COUNT(*) FROM events WHERE event_time < TIMESTAMP"
          + " '2018-01-01 00:00:00' GROUP BY DATE_TRUNC('day', event_time) ORDER BY d",
      "SELECT * FROM TABLE(paths('cart', 'after', 3, '2017-11-25', '2017-12-04')) ORDER BY persons DESC LIMIT 10");

  @Test
  void tenClientsSeeNoErrors() throws Exception {
    int seconds = Integer.getInteger("lode.test.dashboard-seconds", 10);
    SqlClient.server();
    ExecutorService pool = Executors.newFixedThreadPool(10);
    ConcurrentLinkedQueue<Throwable> errors = new ConcurrentLinkedQueue<>();
    AtomicLong queries = new AtomicLong();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
    List<Future<?>> clients = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      int client = i;
      clients.add(pool.submit(() -> {
        try (Connection c = SqlClient.connect(Credentials.Role.ANALYST); Statement st = c.createStatement()) {
          int q = client;
          while (System.nanoTime() < deadline) {
            SqlClient.rows(st, DASHBOARD.get(q++ % DASHBOARD.size()));
            queries.incrementAndGet();
            if (q % 5 == 0) {
              c.getMetaData().getTables(null, "lode", "%", null).close();
            }
          }
        } catch (Throwable t) {
          errors.add(t);
        }
      }));
    }
    for (Future<?> f : clients) {
      f.get(seconds + 120, TimeUnit.SECONDS);
    }
    pool.shutdown();
    assertEquals(List.of(), errors.stream().map(String::valueOf).toList());
    assertTrue(queries.get() >= 10, "only " + queries.get() + " queries ran");
    System.out.printf("10 clients, %d s: %d queries, 0 errors%n", seconds, queries.get());
  }
}
