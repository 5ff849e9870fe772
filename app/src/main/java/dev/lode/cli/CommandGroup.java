package dev.lode.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * A command that is only a group of subcommands ({@code tags}, {@code report}, {@code profiles}):
 * run without one it is a usage error (exit 2) saying which it expects.
 */
abstract class CommandGroup implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  /** What follows the command, for the error: "list, run NAME or views". */
  abstract String expects();

  @Override
  public final Integer call() {
    throw new ParameterException(spec.commandLine(), "expects " + expects());
  }
}
