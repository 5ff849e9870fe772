package dev.lode.sql.schema;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lode.testing.TestWarehouse;
import dev.lode.warehouse.Warehouse;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;

/** {@link LodeSchemaFactory} as Calcite instantiates it from a model file's custom schema. */
class ModelFileTest {
  @Test
  void aModelFileMountsTheWarehouseAndPushesDown() throws SQLException {
    Warehouse w = TestWarehouse.isolated("model");
    try (Connection c = w.connect(); Statement st = c.createStatement()) {
      st.execute("INSERT INTO persons (person_id, created_at, updated_at, country) VALUES"
          + " ('m1', now(), now(), 'UK'), ('m2', now(), now(), 'UK'), ('m3', now(), now(), 'FR')");
    }
    LodeSchemaFactory.register("model-test", w);
    Properties p = CalciteHarness.properties();
    p.setProperty("model", Path.model());
    try (Connection calcite = new org.apache.calcite.jdbc.Driver().connect("jdbc:calcite:", p);
         Connection clickhouse = w.connect()) {
      CalciteHarness.Answer a = CalciteHarness.run(calcite,
          "SELECT country, COUNT(*) AS n FROM persons GROUP BY country ORDER BY country");
      assertEquals(CalciteHarness.nativeRows(clickhouse,
          "SELECT country, count() AS n FROM persons GROUP BY country ORDER BY country"), a.rows());
      assertEquals(List.of(List.of("FR", "1"), List.of("UK", "2")), a.rows());
      // the model's "database" operand decides where names resolve, and the query ran there
      assertTrue(a.only().contains("`lode_model`.`persons`"), a.only());
      assertTrue(a.only().contains("GROUP BY `country`"), a.only());
    }
  }

  @Test
  void anUnknownWarehouseNameIsAClearError() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> LodeSchemaFactory.INSTANCE.create(null, "x", Map.of("warehouse", "nowhere")));
    assertTrue(e.getMessage().contains("no warehouse is registered as 'nowhere'"), e.getMessage());
    IllegalArgumentException none = assertThrows(IllegalArgumentException.class,
        () -> LodeSchemaFactory.INSTANCE.create(null, "x", Map.of()));
    assertTrue(none.getMessage().contains("\"url\""), none.getMessage());
  }

  /** Where the model file is on the test class path. */
  private static final class Path {
    static String model() {
      try {
        return java.nio.file.Path.of(ModelFileTest.class.getResource("/lode-model.json").toURI()).toString();
      } catch (java.net.URISyntaxException e) {
        throw new IllegalStateException(e);
      }
    }
  }
}
