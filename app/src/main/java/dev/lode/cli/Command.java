package dev.lode.cli;

import java.util.List;

/** One {@code bin/lode} subcommand. */
public interface Command {
  /** The word after {@code bin/lode}. */
  String name();

  /** One line for {@code bin/lode help}. */
  String summary();

  /** Runs with the remaining arguments; returns the process exit code. */
  int run(List<String> args) throws Exception;
}
