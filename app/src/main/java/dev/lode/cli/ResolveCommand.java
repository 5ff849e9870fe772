package dev.lode.cli;

import dev.lode.config.LodeConfig;
import dev.lode.identity.IdentityResolver;
import dev.lode.recommend.PersonalizationStatus;
import dev.lode.recommend.RecommendSettings;
import dev.lode.warehouse.Warehouse;
import java.util.List;

/** {@code bin/lode resolve}: runs incremental identity resolution once and prints what changed. */
final class ResolveCommand implements Command {
  @Override
  public String name() {
    return "resolve";
  }

  @Override
  public String summary() {
    return "resolve identities now (incremental; a running server also does it every lode.identity.interval-seconds)";
  }

  @Override
  public int run(List<String> args) throws Exception {
    if (!args.isEmpty()) {
      throw new Lode.UsageException("takes no arguments");
    }
    LodeConfig config = LodeConfig.load();
    try (Warehouse w = CliWarehouse.open(config); var c = w.connect()) {
      System.out.println(new IdentityResolver(w, config).resolve().toText());
      IdentityResolver.counts(c).forEach((k, v) -> System.out.printf("  %-20s %,12d%n", k, v));
      System.out.println(PersonalizationStatus.read(w, RecommendSettings.from(config)).toText());
    }
    return 0;
  }
}
