package dev.lode.cli;

import dev.lode.app.LodeServer;
import dev.lode.config.LodeConfig;
import java.util.List;

/** {@code bin/lode serve}: starts the application and says where to connect. */
final class ServeCommand implements Command {
  @Override
  public String name() {
    return "serve";
  }

  @Override
  public String summary() {
    return "start Lode (collector, SQL endpoint) on the configured warehouse; embedded engine by default";
  }

  @Override
  public int run(List<String> args) throws Exception {
    LodeConfig config = LodeConfig.load();
    for (int i = 0; i < args.size(); i++) {
      switch (args.get(i)) {
        case "--demo-size" -> config = config.with("lode.demo.size", LoadCommand.value(args, ++i, "--demo-size"));
        case "--no-demo" -> config = config.with("lode.demo.enabled", "false");
        default -> throw new Lode.UsageException("unknown argument " + args.get(i) + " (--demo-size N, --no-demo)");
      }
    }
    boolean demo = dev.lode.app.DemoDataset.due(config);
    LodeServer server = LodeServer.start(config);
    Runtime.getRuntime().addShutdownHook(new Thread(server::close, "lode-shutdown"));
    var ctx = server.context();
    System.out.println("Lode is running.");
    System.out.println("  warehouse     " + (ctx.warehouse().embedded()
        ? "embedded ClickHouse " + ctx.warehouse().engine().orElseThrow().version() + " over " + config.dataDir()
        : ctx.warehouse().jdbcUrl()));
    System.out.println("  status        " + server.url() + "/status");
    System.out.println("  collector     " + server.url() + "/v1/batch");
    System.out.println("  credentials   " + ctx.credentials().file() + " (SQL users and collector write keys)");
    if (demo) {
      System.out.println("  demo data     loading in the background (" + dev.lode.app.DemoDataset.size(config)
          + " simulated events; lode.demo.enabled=false or --no-demo to skip)");
    }
    System.out.flush();
    server.join();
    return 0;
  }
}
