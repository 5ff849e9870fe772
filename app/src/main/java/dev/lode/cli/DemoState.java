package dev.lode.cli;

import dev.lode.app.DemoDataset;
import dev.lode.config.LodeConfig;

/** Warns on stderr that the demo dataset is still loading, so a query's small answer is not taken as final. */
final class DemoState {
  private DemoState() {
  }

  static void warnWhileLoading(LodeConfig config) {
    DemoDataset.loadingSince(config).ifPresent(since -> System.err.println("warning: the demo dataset is still"
        + " loading (since " + since + DemoDataset.loadingStep(config).map(st -> ", " + st).orElse("") + "); answers"
        + " cover only what has landed so far (a funnel may count 0 persons) — bin/lode status says when it is"
        + " ready"));
  }
}
