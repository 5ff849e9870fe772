package dev.lode.cli;

import dev.lode.app.DemoDataset;
import dev.lode.load.LoadProgress;
import dev.lode.warehouse.StepProgress;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.function.LongConsumer;

/** A progress bar for each phase of {@code bin/lode demo}: the purchases, the simulated events, the resolution. */
final class DemoProgress implements DemoDataset.Watcher {
  private Progress bar;

  @Override
  public LoadProgress orders(Path file) {
    end();
    long records;
    try {
      records = LineCount.records(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    Progress b = begin(Progress.start("demo: purchases", records, "records"));
    return (read, seconds) -> b.stepTo(read);
  }

  @Override
  public LongConsumer simulation(long events) {
    end();
    return begin(Progress.start("demo: simulated events", events, "events"))::stepTo;
  }

  @Override
  public StepProgress resolution() {
    end();
    return begin(Progress.steps("demo: identities")).steps();
  }

  @Override
  public void end() {
    if (bar != null) {
      bar.done();
      bar.close();
      bar = null;
    }
  }

  private Progress begin(Progress next) {
    bar = next;
    return bar;
  }
}
