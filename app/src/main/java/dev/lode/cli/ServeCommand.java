package dev.lode.cli;

import dev.lode.app.DemoDataset;
import dev.lode.app.LodeServer;
import dev.lode.config.LodeConfig;
import dev.lode.engine.EmbeddedEngine;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code bin/lode serve}: starts the application and says where to connect. */
@Command(name = "serve", mixinStandardHelpOptions = true,
    description = "Start Lode (collector, SQL endpoint, schedulers) on the configured warehouse; the embedded"
        + " ClickHouse engine by default. A first start loads the demo dataset in the background.",
    footerHeading = "%nExamples:%n",
    footer = {"  bin/lode serve", "  bin/lode serve --no-demo", "  bin/lode serve --demo-size 10M",
        "  LODE_HTTP_PORT=9000 bin/lode serve"})
final class ServeCommand implements Callable<Integer> {
  @Option(names = "--demo-size", paramLabel = "N", description = "simulated demo events (e.g. 1M, 500k); default"
      + " lode.demo.size, 1M")
  String demoSize;

  @Option(names = "--no-demo", description = "do not load the demo dataset on a first start")
  boolean noDemo;

  @Override
  public Integer call() throws Exception {
    LodeConfig config = LodeConfig.load();
    if (demoSize != null) {
      try {
        DemoDataset.parseSize(demoSize);
      } catch (IllegalArgumentException e) {
        throw new Lode.UsageException(e.getMessage());
      }
      config = config.with("lode.demo.size", demoSize);
    }
    if (noDemo) {
      config = config.with("lode.demo.enabled", "false");
    }
    boolean demo = DemoDataset.due(config);
    LodeServer server = LodeServer.start(config);
    var ctx = server.context();
    if (ctx.warehouse().embedded()) {
      // stop serving and flush into the engine before the engine's own exit hook stops it
      EmbeddedEngine.beforeStopAtExit(server::close);
    } else {
      Runtime.getRuntime().addShutdownHook(new Thread(server::close, "lode-shutdown"));
    }
    System.out.println("Lode is running.");
    System.out.println("  warehouse     " + (ctx.warehouse().embedded()
        ? "embedded ClickHouse " + serverVersion(ctx.warehouse()) + " (chDB " + ctx.warehouse().engine().orElseThrow()
            .version() + ") over " + config.dataDir()
        : ctx.warehouse().jdbcUrl()));
    System.out.println("  status        " + server.url() + "/status");
    System.out.println("  collector     " + server.url() + "/v1/batch");
    System.out.println("  credentials   " + ctx.credentials().file() + " (SQL users and collector write keys)");
    if (demo) {
      System.out.println("  demo data     loading in the background (" + DemoDataset.size(config)
          + " simulated events; bin/lode status says when it is ready; --no-demo to skip)");
    } else if (DemoDataset.state(config).equals("ready")) {
      System.out.println("  demo data     ready (loaded before in this data directory)");
    }
    System.out.flush();
    server.join();
    return 0;
  }

  /** What {@code SELECT version()} answers: the ClickHouse release inside the chDB package. */
  private static String serverVersion(dev.lode.warehouse.Warehouse w) throws java.sql.SQLException {
    try (var c = w.connect(); var st = c.createStatement(); var rs = st.executeQuery("SELECT version()")) {
      rs.next();
      return rs.getString(1);
    }
  }
}
