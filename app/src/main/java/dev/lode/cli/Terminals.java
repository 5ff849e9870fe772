package dev.lode.cli;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;

/**
 * Whether a standard stream is a terminal, asked of the C library's {@code isatty} (Java's
 * {@code System.console()} says it for stdin and stdout together only, never for stderr).
 */
final class Terminals {
  private static final int STDIN = 0;
  private static final int STDOUT = 1;
  private static final int STDERR = 2;

  private Terminals() {
  }

  /** True when stderr is a terminal: progress is redrawn in place there. */
  static boolean stderrIsTerminal() {
    return isatty(STDERR);
  }

  /** True when stdin and stdout are a terminal: {@code bin/lode sql} without SQL starts its shell then. */
  static boolean interactive() {
    return isatty(STDIN) && isatty(STDOUT);
  }

  private static boolean isatty(int fd) {
    try {
      Linker linker = Linker.nativeLinker();
      MethodHandle isatty = linker.downcallHandle(linker.defaultLookup().find("isatty").orElseThrow(),
          FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT));
      return (int) isatty.invokeExact(fd) == 1;
    } catch (Throwable e) {
      // no native access (a JVM started without --enable-native-access): treat as not a terminal
      return false;
    }
  }
}
