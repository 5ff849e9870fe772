package dev.lode.cli;

import dev.lode.config.LodeConfig;
import dev.lode.identity.IdentityResolver;
import dev.lode.recommend.PersonalizationStatus;
import dev.lode.recommend.RecommendSettings;
import dev.lode.warehouse.Warehouse;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/** {@code bin/lode resolve}: runs incremental identity resolution once and prints what changed. */
@Command(name = "resolve", mixinStandardHelpOptions = true,
    description = "Resolve identities now (incremental) and print what changed and the identity counts; a running"
        + " server also does it every lode.identity.interval-seconds when there is new input.",
    footerHeading = "%nExamples:%n", footer = "  bin/lode resolve")
final class ResolveCommand implements Callable<Integer> {
  @Override
  public Integer call() throws Exception {
    LodeConfig config = LodeConfig.load();
    try (Warehouse w = CliWarehouse.open(config); var c = w.connect()) {
      System.out.println(resolve(w, config).toText());
      IdentityResolver.counts(c).forEach((k, v) -> System.out.printf("  %-20s %,12d%n", k, v));
      System.out.println(PersonalizationStatus.read(w, RecommendSettings.from(config)).toText());
    }
    return 0;
  }

  /** One incremental resolution run with a progress bar over its steps; the commands that load data end with it. */
  static IdentityResolver.RunSummary resolve(Warehouse w, LodeConfig config) throws java.sql.SQLException {
    try (Progress bar = Progress.steps("resolve identities")) {
      IdentityResolver.RunSummary s = new IdentityResolver(w, config).resolve(bar.steps());
      bar.done();
      return s;
    }
  }
}
