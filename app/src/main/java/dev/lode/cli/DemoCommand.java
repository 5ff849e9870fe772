package dev.lode.cli;

import dev.lode.app.DemoDataset;
import dev.lode.config.LodeConfig;
import dev.lode.warehouse.Warehouse;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code bin/lode demo [--size N]}: loads the demo dataset now (a first {@code bin/lode serve} does it itself). */
@Command(name = "demo", mixinStandardHelpOptions = true,
    description = "Load the demo dataset now: the Online Retail purchases (or the bundled sample), simulated"
        + " behavior for the same customers and items, then identity resolution. A first 'bin/lode serve' does"
        + " this by itself.",
    footerHeading = "%nExamples:%n", footer = {"  bin/lode demo", "  bin/lode demo --size 100k"})
final class DemoCommand implements Callable<Integer> {
  @Option(names = "--size", paramLabel = "N", description = "simulated events (e.g. 1M, 500k); default lode.demo.size")
  String size;

  @Override
  public Integer call() throws Exception {
    LodeConfig config = LodeConfig.load();
    long events;
    try {
      events = size == null ? DemoDataset.size(config) : DemoDataset.parseSize(size);
    } catch (IllegalArgumentException e) {
      throw new Lode.UsageException(e.getMessage());
    }
    try (Warehouse w = CliWarehouse.open(config)) {
      DemoDataset.load(w, config, events, System.out::println, new DemoProgress());
    }
    return 0;
  }
}
