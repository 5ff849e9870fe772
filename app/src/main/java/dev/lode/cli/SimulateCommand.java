package dev.lode.cli;

import dev.lode.config.LodeConfig;
import dev.lode.identity.IdentityResolver;
import dev.lode.simulate.BehaviorSimulator;
import dev.lode.app.DemoDataset;
import dev.lode.warehouse.Warehouse;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;

/**
 * {@code bin/lode simulate [--events N] [--seed S] [--from DATE] [--to DATE] [--no-resolve]}:
 * writes simulated behavior (source {@code simulator}) around the loaded customers and items.
 */
final class SimulateCommand implements Command {
  @Override
  public String name() {
    return "simulate";
  }

  @Override
  public String summary() {
    return "simulate behavior: bin/lode simulate [--events 1M] [--seed 42] [--from 2011-01-01] [--to 2011-12-31]";
  }

  @Override
  public int run(List<String> args) throws Exception {
    long events = 1_000_000;
    long seed = 42;
    Instant from = null;
    Instant to = null;
    boolean resolve = true;
    try {
      for (int i = 0; i < args.size(); i++) {
        switch (args.get(i)) {
          case "--events", "--size" -> events = DemoDataset.parseSize(LoadCommand.value(args, ++i, args.get(i - 1)));
          case "--seed" -> seed = Long.parseLong(LoadCommand.value(args, ++i, "--seed"));
          case "--from" -> from = date(LoadCommand.value(args, ++i, "--from"));
          case "--to" -> to = date(LoadCommand.value(args, ++i, "--to"));
          case "--no-resolve" -> resolve = false;
          default -> throw new Lode.UsageException("unknown argument " + args.get(i));
        }
      }
      BehaviorSimulator.Spec spec = new BehaviorSimulator.Spec(seed, events, from, to);
      LodeConfig config = LodeConfig.load();
      try (Warehouse w = CliWarehouse.open(config)) {
        BehaviorSimulator.Result r = new BehaviorSimulator(w).simulate(spec, n -> {
          if (CliWarehouse.interactive()) {
            System.err.printf("\r  simulating  %,d events   ", n);
          }
        });
        if (CliWarehouse.interactive()) {
          System.err.print("\r" + " ".repeat(60) + "\r");
        }
        System.out.println(r.toText());
        if (resolve) {
          System.out.println(new IdentityResolver(w, config).resolve().toText());
        }
      }
      return 0;
    } catch (IllegalArgumentException e) {
      throw new Lode.UsageException(e.getMessage());
    }
  }

  private static Instant date(String s) {
    try {
      return LocalDate.parse(s).atStartOfDay(ZoneOffset.UTC).toInstant();
    } catch (java.time.format.DateTimeParseException e) {
      throw new IllegalArgumentException("'" + s + "' is not a date like 2011-01-31");
    }
  }
}
