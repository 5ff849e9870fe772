package dev.lode.cli;

import dev.lode.app.DemoDataset;
import dev.lode.config.LodeConfig;
import dev.lode.simulate.BehaviorSimulator;
import dev.lode.warehouse.Warehouse;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code bin/lode simulate}: writes simulated behavior (source {@code simulator}) around the loaded customers and items. */
@Command(name = "simulate", mixinStandardHelpOptions = true,
    description = "Simulate behavior events (page views, searches, carts, purchases, bots) for the loaded customers"
        + " and items, then resolve identities.",
    footerHeading = "%nExamples:%n",
    footer = {"  bin/lode simulate", "  bin/lode simulate --events 10M --seed 7",
        "  bin/lode simulate --from 2011-01-01 --to 2011-12-31 --no-resolve"})
final class SimulateCommand implements Callable<Integer> {
  @Option(names = {"--events", "--size"}, paramLabel = "N", description = "events to write (e.g. 1M, 500k; default"
      + " ${DEFAULT-VALUE})")
  String events = "1M";

  @Option(names = "--seed", paramLabel = "S", description = "random seed (default ${DEFAULT-VALUE}); the same seed"
      + " writes the same events")
  long seed = 42;

  @Option(names = "--from", paramLabel = "DATE", description = "first day (default: the loaded orders' first day)")
  LocalDate from;

  @Option(names = "--to", paramLabel = "DATE", description = "last day (default: the loaded orders' last day)")
  LocalDate to;

  @Option(names = "--no-resolve", description = "skip identity resolution afterwards")
  boolean noResolve;

  @Override
  public Integer call() throws Exception {
    BehaviorSimulator.Spec spec;
    try {
      spec = new BehaviorSimulator.Spec(seed, DemoDataset.parseSize(events),
          from == null ? null : from.atStartOfDay(ZoneOffset.UTC).toInstant(),
          to == null ? null : to.atStartOfDay(ZoneOffset.UTC).toInstant());
    } catch (IllegalArgumentException e) {
      throw new Lode.UsageException(e.getMessage());
    }
    LodeConfig config = LodeConfig.load();
    try (Warehouse w = CliWarehouse.open(config)) {
      BehaviorSimulator.Result r;
      try (Progress bar = Progress.start("simulate", spec.events(), "events")) {
        r = new BehaviorSimulator(w).simulate(spec, bar::stepTo);
        bar.total(r.events());
        bar.stepTo(r.events());
      }
      System.out.println(r.toText());
      if (!noResolve) {
        System.out.println(ResolveCommand.resolve(w, config).toText());
      }
    }
    return 0;
  }
}
