package dev.lode.tags;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.lode.testing.TestWarehouse;
import dev.lode.warehouse.Warehouse;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/**
 * The model tag's training window on the demo's shape of data: browsing that goes on after the
 * sales records stop. The window ends at the as-of instant while any purchase lies in the horizon
 * before it, else just after the newest purchase record (cancelled orders are no purchase). The
 * demo's dates, moved to 1987, before any other test's records.
 */
class LabelWindowTest {
  private static final Instant AS_OF = Instant.parse("1987-12-26T00:00:00Z");

  @Test
  void theWindowEndsAtTheNewestPurchaseWhenSalesStopBeforeTheClock() throws SQLException {
    // the shared warehouse: no other test writes records of 1987, which is all the window looks at
    Warehouse w = TestWarehouse.get();
    // no purchase record at all: the plain window (the model then says it cannot train)
    assertEquals(Instant.parse("1987-12-12T00:00:00Z"), LabelWindow.trainAsOf(w, AS_OF, 14));
    try (Connection c = w.connect(); Statement st = c.createStatement()) {
      st.execute("INSERT INTO orders (order_id, customer_key, person_id, order_time, status, total, source, loaded_at)"
          + " VALUES ('lw-1', 'c1', 'p1', toDateTime64('1987-12-09 12:00:00', 3, 'UTC'), 'completed', 10, 't', now64(3)),"
          + " ('lw-2', 'c1', 'p1', toDateTime64('1987-12-20 12:00:00', 3, 'UTC'), 'cancelled', 10, 't', now64(3))");
      st.execute("INSERT INTO events (event_id, event_time, received_time, distinct_id, user_id, person_id, event_type,"
          + " event_name, source) VALUES"
          + " ('lw-e1', toDateTime64('1987-12-25 10:00:00', 3, 'UTC'), now64(3), 'p1', 'p1', 'p1', 'track', 'product_view', 't'),"
          + " ('lw-e2', toDateTime64('1987-12-08 10:00:00', 3, 'UTC'), now64(3), 'p1', 'p1', 'p1', 'track', 'purchase', 't')");
      // sales stop on 9 December (the cancelled order is none): the horizon before it, features as of 25 November
      assertEquals(Instant.parse("1987-11-25T12:00:00.001Z"), LabelWindow.trainAsOf(w, AS_OF, 14));
      // a purchase inside the horizon: the plain window again
      st.execute("INSERT INTO events (event_id, event_time, received_time, distinct_id, user_id, person_id, event_type,"
          + " event_name, source) VALUES"
          + " ('lw-e3', toDateTime64('1987-12-13 10:00:00', 3, 'UTC'), now64(3), 'p2', 'p2', 'p2', 'track', 'purchase', 't')");
      assertEquals(Instant.parse("1987-12-12T00:00:00Z"), LabelWindow.trainAsOf(w, AS_OF, 14));
      // a shorter horizon with no sale in it: the horizon before the newest purchase (13 December)
      assertEquals(Instant.parse("1987-12-11T10:00:00.001Z"),
          LabelWindow.trainAsOf(w, Instant.parse("1987-12-30T00:00:00Z"), 2));
    }
  }
}
