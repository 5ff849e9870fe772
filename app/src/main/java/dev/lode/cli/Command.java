package dev.lode.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine;

/**
 * A {@code bin/lode} command contributed by a module above the application (the benchmarks),
 * found with {@link java.util.ServiceLoader}; the class carries picocli's {@code @Command}
 * annotation and returns its exit code.
 */
public interface Command extends Callable<Integer> {
  /** Adds this command under {@code parent}; a command with subcommands built at run time overrides it. */
  default void addTo(CommandLine parent) {
    parent.addSubcommand(this);
  }
}
