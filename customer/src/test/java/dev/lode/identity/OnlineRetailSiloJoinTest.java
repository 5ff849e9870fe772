package dev.lode.identity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lode.config.LodeConfig;
import dev.lode.load.BatchLoader;
import dev.lode.load.LoadKind;
import dev.lode.load.MappingSpec;
import dev.lode.profiles.ProfileRefresher;
import dev.lode.profiles.ProfileSettings;
import dev.lode.testing.TestWarehouse;
import dev.lode.warehouse.Warehouse;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * The real Online Retail file (when it is present beside the project), loaded with a mapping a
 * user would write — customer number only, no reject rules — then resolved: every one of its
 * customers' profiles has the orders, revenue and first/last order a plain reading of the file
 * gives (the recommendations of loaded customers are checked on a small file in
 * {@link LoadedSilosJoinPersonTest}: a model over this whole file takes minutes on a shared machine).
 */
class OnlineRetailSiloJoinTest {
  private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");
  private static final String MAPPING = """
      {"kind": "orders", "format": "csv", "header": true, "source": "my_retail",
       "fields": {
         "order_id": "InvoiceNo", "item_id": "StockCode", "quantity": "Quantity", "unit_price": "UnitPrice",
         "order_time": {"from": "InvoiceDate", "format": "iso"},
         "customer_key": {"from": "CustomerID", "transform": "integer"},
         "status": {"when": {"field": "InvoiceNo", "prefix": "C"}, "then": "cancelled", "else": "completed"},
         "country": "Country"}}
      """;

  static Optional<Path> realFile() {
    String configured = System.getProperty("lode.demo.online-retail", System.getenv("LODE_DEMO_ONLINE_RETAIL"));
    if (configured != null && Files.isRegularFile(Path.of(configured))) {
      return Optional.of(Path.of(configured));
    }
    Path p = Path.of("").toAbsolutePath().getParent().resolve("../shared/data/online-retail/online-retail.csv.gz")
        .normalize();
    return Files.isRegularFile(p) ? Optional.of(p) : Optional.empty();
  }

  /** One customer as the file says, read here without Lode. */
  static final class Customer {
    final Set<String> orders = new HashSet<>();
    /** An order's time is its earliest line's (lines of one invoice may differ by a minute). */
    final Map<String, LocalDateTime> orderTimes = new HashMap<>();
    BigDecimal revenue = BigDecimal.ZERO;
    LocalDateTime first;
    LocalDateTime last;
  }

  @Test
  void everyCustomersProfileAndListFollowTheFile() throws Exception {
    Optional<Path> file = realFile();
    Assumptions.assumeTrue(file.isPresent(), "the Online Retail file is not present beside the project");
    Map<String, Customer> expected = read(file.get());
    Warehouse w = TestWarehouse.isolated("retail_join");
    Path dir = TestWarehouse.freshDir("retail-join");
    Path mapping = Files.writeString(dir.resolve("my-orders.json"), MAPPING);
    new BatchLoader(w).load(file.get(), LoadKind.ORDERS, MappingSpec.resolve(mapping.toString()),
        BatchLoader.Options.defaults());
    new IdentityResolver(w, LodeConfig.of(Map.of())).resolve();
    Instant asOf = Instant.parse("2011-12-10T00:00:00Z");
    new ProfileRefresher(w, ProfileSettings.from(LodeConfig.of(Map.of()))).refreshAll(asOf);

    Map<String, String> personOf = new HashMap<>();
    int checked = 0;
    try (Connection c = w.connect(); Statement st = c.createStatement()) {
      try (ResultSet rs = st.executeQuery("SELECT i.id_value, p.person_id, p.orders, toString(p.revenue),"
          + " p.first_order_at, p.last_order_at FROM profiles AS p INNER JOIN (SELECT id_value, person_id FROM"
          + " identities_current WHERE id_type = 'customer_no') AS i ON i.person_id = p.person_id")) {
        while (rs.next()) {
          String customer = rs.getString(1);
          personOf.put(customer, rs.getString(2));
          Customer x = expected.get(customer);
          if (x == null || x.orders.isEmpty()) {
            assertEquals(0, rs.getLong(3), "customer " + customer + " has only cancellations");
            continue;
          }
          assertEquals(x.orders.size(), rs.getLong(3), "orders of " + customer);
          // revenue is stored with 4 decimals; the sum of qty * price is exact here
          BigDecimal diff = new BigDecimal(rs.getString(4)).subtract(x.revenue).abs();
          assertTrue(diff.compareTo(new BigDecimal("0.0002")) <= 0,
              "revenue of " + customer + ": " + rs.getString(4) + " vs " + x.revenue);
          assertEquals(x.first, rs.getTimestamp(5).toInstant().atOffset(ZoneOffset.UTC).toLocalDateTime(),
              "first order of " + customer);
          assertEquals(x.last, rs.getTimestamp(6).toInstant().atOffset(ZoneOffset.UTC).toLocalDateTime(),
              "last order of " + customer);
          checked++;
        }
      }
    }
    assertEquals(expected.keySet(), personOf.keySet(), "every customer of the file is one profiled person");
    assertEquals(expected.values().stream().filter(x -> !x.orders.isEmpty()).count(), checked);
  }

  /** Completed orders, revenue and times per customer from the CSV (quoted fields respected). */
  private static Map<String, Customer> read(Path file) throws Exception {
    Map<String, Customer> out = new HashMap<>();
    try (BufferedReader r = new BufferedReader(new InputStreamReader(new GZIPInputStream(Files.newInputStream(file)),
        StandardCharsets.UTF_8))) {
      r.readLine();
      String line;
      while ((line = r.readLine()) != null) {
        List<String> f = fields(line);
        String customer = f.get(6).isEmpty() ? "" : f.get(6).replaceAll("\\.0$", "");
        if (customer.isEmpty()) {
          continue;
        }
        Customer x = out.computeIfAbsent(customer, k -> new Customer());
        if (f.get(0).startsWith("C")) {
          continue;
        }
        LocalDateTime t = LocalDateTime.parse(f.get(4), TIME);
        x.orders.add(f.get(0));
        x.revenue = x.revenue.add(new BigDecimal(f.get(3)).multiply(new BigDecimal(f.get(5))));
        x.orderTimes.merge(f.get(0), t, (a, b) -> a.isBefore(b) ? a : b);
      }
    }
    for (Customer x : out.values()) {
      x.first = x.orderTimes.values().stream().min(LocalDateTime::compareTo).orElse(null);
      x.last = x.orderTimes.values().stream().max(LocalDateTime::compareTo).orElse(null);
    }
    return out;
  }

  private static List<String> fields(String line) {
    List<String> f = new ArrayList<>();
    StringBuilder b = new StringBuilder();
    boolean quoted = false;
    for (int i = 0; i < line.length(); i++) {
      char ch = line.charAt(i);
      if (quoted) {
        if (ch == '"' && i + 1 < line.length() && line.charAt(i + 1) == '"') {
          b.append('"');
          i++;
        } else if (ch == '"') {
          quoted = false;
        } else {
          b.append(ch);
        }
      } else if (ch == '"') {
        quoted = true;
      } else if (ch == ',') {
        f.add(b.toString());
        b.setLength(0);
      } else {
        b.append(ch);
      }
    }
    f.add(b.toString());
    return f;
  }
}
