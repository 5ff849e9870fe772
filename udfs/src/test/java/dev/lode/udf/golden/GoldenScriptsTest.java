package dev.lode.udf.golden;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.lode.sql.schema.CalciteHarness;
import dev.lode.sql.schema.LodeSchemaFactory;
import dev.lode.testing.TestWarehouse;
import dev.lode.udf.LodeOperatorTable;
import dev.lode.udf.TimeGrainConnection;
import dev.lode.warehouse.Warehouse;
import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.stream.Stream;
import net.hydromatic.quidem.Quidem;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Runs every Quidem script under {@code golden/} against {@link GoldenFixture}: connection
 * {@code lode} is a Calcite connection over the functions of {@link LodeOperatorTable}, configured
 * by {@link GoldenFixture#config()}, as the server opens one (its statements rewritten by {@code TimeGrainRewriter} first, as the server does); a script passes when its output is itself. On a difference the expected and
 * the actual script are both printed, and the actual one is written to {@code target/golden/}.
 */
class GoldenScriptsTest {
  private static Warehouse warehouse;
  private static Connection clickhouse;

  @BeforeAll
  static void fixture() throws SQLException {
    warehouse = TestWarehouse.isolated("golden");
    GoldenFixture.write(warehouse);
    GoldenFixture.derive(warehouse);
    clickhouse = warehouse.connect();
  }

  @AfterAll
  static void close() throws SQLException {
    clickhouse.close();
  }

  @TestFactory
  Stream<DynamicTest> scripts() throws IOException, URISyntaxException {
    Path dir = Path.of(GoldenScriptsTest.class.getResource("/golden").toURI());
    List<Path> scripts;
    try (Stream<Path> s = Files.list(dir)) {
      scripts = s.filter(p -> p.toString().endsWith(".iq")).sorted().toList();
    }
    return scripts.stream().map(p -> DynamicTest.dynamicTest(p.getFileName().toString(), () -> run(p)));
  }

  private static void run(Path script) throws IOException {
    String expected = Files.readString(script, StandardCharsets.UTF_8);
    StringWriter actual = new StringWriter();
    new Quidem(Quidem.configBuilder()
        .withReader(new StringReader(expected))
        .withWriter(actual)
        .withConnectionFactory((name, reference) -> reference ? null : connect(name))
        .withCommandHandler((lines, content, line) -> line.startsWith("native") ? new NativeCommand(lines, content)
            : line.startsWith("agrees") ? new AgreesCommand(lines, content, clickhouse) : null)
        .build()).execute();
    if (!expected.equals(actual.toString())) {
      Path out = Path.of("target", "golden", script.getFileName().toString());
      Files.createDirectories(out.getParent());
      Files.writeString(out, actual.toString(), StandardCharsets.UTF_8);
    }
    assertEquals(expected, actual.toString(), script.getFileName() + " differs; the actual script is in target/golden/");
  }

  private static Connection connect(String name) throws SQLException {
    if (!name.equals("lode")) {
      throw new IllegalArgumentException("golden scripts know connection 'lode' only, not '" + name + "'");
    }
    return TimeGrainConnection.wrap(
        CalciteHarness.connect(new LodeSchemaFactory(warehouse, new LodeOperatorTable(GoldenFixture.config()), 0, 1800)));
  }
}
