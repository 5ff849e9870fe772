package dev.lode.load;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lode.testing.TestWarehouse;
import dev.lode.warehouse.Warehouse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.Optional;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * The Online Retail file loads with the built-in mapping and every line is accounted for:
 * loaded or quarantined with a reason; a second load adds nothing. Uses the real shared
 * file when it is present (lode.demo.online-retail, or ../shared/… beside the project).
 */
class OnlineRetailLoadTest {

  static Optional<Path> realFile() {
    String configured = System.getProperty("lode.demo.online-retail", System.getenv("LODE_DEMO_ONLINE_RETAIL"));
    if (configured != null && Files.isRegularFile(Path.of(configured))) {
      return Optional.of(Path.of(configured));
    }
    Path projectRoot = Path.of("").toAbsolutePath().getParent();
    Path p = projectRoot.resolve("../shared/data/online-retail/online-retail.csv.gz").normalize();
    return Files.isRegularFile(p) ? Optional.of(p) : Optional.empty();
  }

  @Test
  void everyLineIsLoadedOrQuarantinedAndASecondLoadAddsNothing() throws Exception {
    Optional<Path> file = realFile();
    Assumptions.assumeTrue(file.isPresent(), "the Online Retail file is not present beside the project"
        + " (set lode.demo.online-retail to its path); skipping the full-file accounting test");
    long lines = countDataLines(file.get());
    Warehouse w = TestWarehouse.get();
    BatchLoader loader = new BatchLoader(w);
    MappingSpec spec = MappingSpec.resolve("online-retail");
    // a source label of its own: other tests load the bundled sample with the same mapping
    BatchLoader.Options options = new BatchLoader.Options("online_retail_full", false, LoadProgress.NONE);
    LoadSummary s = loader.load(file.get(), LoadKind.ORDERS, spec, options);
    System.out.print(s.toText());
    assertEquals(lines, s.read());
    assertEquals(s.read(), s.loaded() + s.quarantinedTotal() + s.duplicates(), "every line accounted for");
    assertEquals(2, s.quarantined().get("negative_price"));
    assertTrue(s.quarantined().get("stock_adjustment") > 1000);
    assertEquals(s.quarantinedTotal(), s.quarantined().get("negative_price") + s.quarantined().get("stock_adjustment"),
        "no other reasons: " + s.quarantined());
    try (Connection c = w.connect(); Statement st = c.createStatement()) {
      assertEquals(s.loaded(), scalar(st, "SELECT count() FROM order_lines WHERE source = 'online_retail_full'"));
      assertEquals(s.quarantinedTotal(), scalar(st, "SELECT count() FROM quarantine WHERE file = 'online-retail.csv.gz'"
          + " AND source = 'online_retail_full'"));
      assertEquals(9288, scalar(st, "SELECT count() FROM order_lines WHERE source = 'online_retail_full' AND status = 'cancelled'"));
      assertEquals(4372, scalar(st, "SELECT uniqExact(customer_key) FROM order_lines WHERE customer_key != ''"
          + " AND source = 'online_retail_full'"));
      assertTrue(scalar(st, "SELECT count() FROM orders FINAL WHERE source = 'online_retail_full'") > 20_000);
      assertTrue(scalar(st, "SELECT count() FROM items FINAL WHERE source = 'online_retail_full'") > 3_000);

      LoadSummary again = loader.load(file.get(), LoadKind.ORDERS, spec, options);
      assertTrue(again.alreadyLoaded());
      assertEquals(0, again.loaded());
      assertEquals(lines, again.duplicates());
      assertEquals(s.loaded(), scalar(st, "SELECT count() FROM order_lines WHERE source = 'online_retail_full'"));
    }
  }

  static long scalar(Statement st, String sql) throws Exception {
    try (ResultSet rs = st.executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    }
  }

  private static long countDataLines(Path gz) throws Exception {
    // physical lines minus the header; the file has no quoted newlines
    long n = 0;
    try (var in = new GZIPInputStream(Files.newInputStream(gz), 1 << 16)) {
      byte[] buf = new byte[1 << 16];
      int r;
      while ((r = in.read(buf)) > 0) {
        for (int i = 0; i < r; i++) {
          if (buf[i] == '\n') {
            n++;
          }
        }
      }
    }
    return n - 1;
  }
}
