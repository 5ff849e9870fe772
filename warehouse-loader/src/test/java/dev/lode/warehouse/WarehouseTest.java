package dev.lode.warehouse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lode.testing.TestWarehouse;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import org.junit.jupiter.api.Test;

/** The warehouse answers over clickhouse-jdbc with a modern engine and the migrated schema. */
class WarehouseTest {

  @Test
  void versionIsModernClickHouse() throws Exception {
    try (Connection c = TestWarehouse.get().connect(); Statement st = c.createStatement();
         ResultSet rs = st.executeQuery("SELECT version()")) {
      assertTrue(rs.next());
      String v = rs.getString(1);
      int major = Integer.parseInt(v.split("\\.")[0]);
      assertTrue(major >= 24, "ClickHouse version " + v);
    }
  }

  @Test
  void migrationsAreRecordedOnce() throws Exception {
    Warehouse w = TestWarehouse.get();
    assertEquals(0, new SchemaMigrator(w).migrate(), "a second migrate applies nothing");
    try (Connection c = w.connect(); Statement st = c.createStatement();
         ResultSet rs = st.executeQuery("SELECT count() FROM schema_migrations FINAL")) {
      rs.next();
      assertEquals(SchemaMigrator.load().size(), rs.getInt(1));
    }
  }
}
