package dev.lode.cli;

import dev.lode.config.LodeConfig;
import dev.lode.config.SecretFile;
import dev.lode.engine.ClickHouseHttpEndpoint;
import dev.lode.engine.EmbeddedEngine;
import dev.lode.engine.EngineConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code bin/lode engine [--port N]}: serves only the embedded ClickHouse engine over the
 * ClickHouse HTTP protocol on loopback, like a small clickhouse-server. Another Lode (or
 * the test suite) can then use it as an external warehouse by configuration alone.
 */
@Command(name = "engine", mixinStandardHelpOptions = true,
    description = "Serve just the embedded ClickHouse engine on loopback (a stand-in ClickHouse server for"
        + " another Lode or the test suite); prints the variables to use it as an external warehouse.",
    footerHeading = "%nExamples:%n", footer = {"  bin/lode engine", "  bin/lode engine --port 8124"})
final class EngineCommand implements Callable<Integer> {
  @Option(names = "--port", paramLabel = "N", description = "loopback port (default ${DEFAULT-VALUE})")
  int port = 8123;

  @Override
  public Integer call() throws Exception {
    LodeConfig config = LodeConfig.load();
    var dataDir = config.dataDir().resolve("engine-server");
    Files.createDirectories(dataDir);
    Path pwFile = passwordFile(dataDir);
    String password = password(dataDir);
    EngineConfig ec = EngineConfig.defaults(dataDir.resolve("clickhouse"), "lode", password)
        .withSessions(config.getInt("lode.engine.sessions", 4));
    EmbeddedEngine engine = EmbeddedEngine.start(ec);
    ClickHouseHttpEndpoint endpoint = ClickHouseHttpEndpoint.start(engine, port, "lode", password, ec.sessions() * 2);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      endpoint.close();
      engine.close();
    }));
    System.out.println("ClickHouse " + engine.version() + " (embedded engine) on " + endpoint.url());
    System.out.println("  user lode, password in " + pwFile);
    System.out.println("  use it as an external warehouse: LODE_WAREHOUSE_URL=jdbc:clickhouse:" + endpoint.url()
        + "?compress=0 LODE_WAREHOUSE_USER=lode LODE_WAREHOUSE_PASSWORD=$(cat " + pwFile + ")");
    System.out.flush();
    Thread.currentThread().join();
    return 0;
  }

  /** Where the engine's password is kept under its data directory. */
  static Path passwordFile(Path dataDir) {
    return dataDir.resolve("password");
  }

  /** The engine's password: generated on first use into a file only its owner can read. */
  static String password(Path dataDir) {
    return SecretFile.readOrCreate(passwordFile(dataDir), 16);
  }
}
