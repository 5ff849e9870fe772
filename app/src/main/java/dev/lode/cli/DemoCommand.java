package dev.lode.cli;

import dev.lode.config.LodeConfig;
import dev.lode.app.DemoDataset;
import dev.lode.warehouse.Warehouse;
import java.util.List;

/** {@code bin/lode demo [--size N]}: loads the demo dataset now (a first {@code bin/lode serve} does it itself). */
final class DemoCommand implements Command {
  @Override
  public String name() {
    return "demo";
  }

  @Override
  public String summary() {
    return "load the demo dataset (Online Retail + simulated behavior): bin/lode demo [--size 1M]";
  }

  @Override
  public int run(List<String> args) throws Exception {
    LodeConfig config = LodeConfig.load();
    long size = DemoDataset.size(config);
    for (int i = 0; i < args.size(); i++) {
      if (args.get(i).equals("--size")) {
        try {
          size = DemoDataset.parseSize(LoadCommand.value(args, ++i, "--size"));
        } catch (IllegalArgumentException e) {
          throw new Lode.UsageException(e.getMessage());
        }
      } else {
        throw new Lode.UsageException("unknown argument " + args.get(i));
      }
    }
    try (Warehouse w = CliWarehouse.open(config)) {
      DemoDataset.load(w, config, size, System.out::println);
    }
    return 0;
  }
}
