package dev.lode.cli;

import java.io.PrintStream;
import dev.lode.warehouse.StepProgress;
import java.time.Duration;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.DelegatingProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * The progress of one long step of a command, on stderr (stdout is the command's answer): a bar
 * with percentage, speed and ETA redrawn in place when stderr is a terminal; otherwise (CI logs,
 * pipes) the same line printed once per tenth done and once at the end, never a carriage return.
 */
final class Progress implements AutoCloseable {
  private final ProgressBar bar;
  private final Tenths tenths;

  private Progress(ProgressBar bar, Tenths tenths) {
    this.bar = bar;
    this.tenths = tenths;
  }

  /** A bar for {@code task} over {@code total} {@code unit}s (total 0 or less: not known yet). */
  static Progress start(String task, long total, String unit) {
    return start(task, total, unit, true, Terminals.stderrIsTerminal());
  }

  /** A bar for {@code task} over the steps it tells through {@link #steps()}. */
  static Progress steps(String task) {
    return start(task, 0, "steps", false, Terminals.stderrIsTerminal());
  }

  private static Progress start(String task, long total, String unit, boolean speed, boolean terminal) {
    PrintStream err = System.err;
    Tenths tenths = terminal ? null : new Tenths(err);
    ProgressBarBuilder b = new ProgressBarBuilder().setTaskName(task).setInitialMax(total > 0 ? total : -1)
        .setUnit(" " + unit, 1).setUpdateIntervalMillis(terminal ? 250 : 1000);
    if (speed) {
      b.showSpeed().setSpeedUnit(java.time.temporal.ChronoUnit.SECONDS);
    }
    b
        // a log keeps no colors or block glyphs: plain ASCII reads the same in every viewer
        .setStyle(terminal ? ProgressBarStyle.COLORFUL_UNICODE_BLOCK : ProgressBarStyle.ASCII)
        .setConsumer(terminal ? new ConsoleProgressBarConsumer(err) : new DelegatingProgressBarConsumer(tenths, 100));
    ProgressBar bar = b.build();
    if (tenths != null) {
      tenths.bar = bar;
    }
    return new Progress(bar, tenths);
  }

  /** Sets the amount done so far. */
  void stepTo(long done) {
    bar.stepTo(done);
  }

  /** This bar as the listener of a multi-step job: the steps are its units, the step's name its message. */
  StepProgress steps() {
    return (step, of, name) -> {
      if (bar.getMax() != of) {
        bar.maxHint(of);
      }
      bar.setExtraMessage(" " + name);
      bar.stepTo(step);
    };
  }

  /** Marks everything done (the last step ended). */
  void done() {
    bar.setExtraMessage("");
    bar.stepTo(Math.max(bar.getMax(), bar.getCurrent()));
  }

  /** Corrects the total when the estimate was off (a load's line count against its records). */
  void total(long total) {
    bar.maxHint(total);
  }

  /** How long the step has run. */
  Duration elapsed() {
    return bar.getTotalElapsed();
  }

  @Override
  public void close() {
    if (tenths != null) {
      tenths.closing = true;
    }
    bar.close();
  }

  /** Passes a rendered line on when a further tenth is done, and the final one, so a log gets a line per step. */
  private static final class Tenths implements java.util.function.Consumer<String> {
    private final PrintStream err;
    volatile ProgressBar bar;
    volatile boolean closing;
    private int printed = -1;
    private String last = "";

    Tenths(PrintStream err) {
      this.err = err;
    }

    @Override
    public synchronized void accept(String line) {
      ProgressBar b = bar;
      String text = line.strip();
      if (b == null || text.equals(last)) {
        return;
      }
      int tenth = b.isIndefinite() || b.getMax() <= 0 ? printed : (int) Math.min(10, 10 * b.getCurrent() / b.getMax());
      if (closing || tenth > printed) {
        printed = Math.max(printed, tenth);
        last = text;
        err.println(text);
        err.flush();
      }
    }
  }
}
