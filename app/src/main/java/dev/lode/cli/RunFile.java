package dev.lode.cli;

import dev.lode.config.LodeConfig;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.Properties;

/**
 * The run file a live {@code bin/lode serve} keeps in its data directory ({@code run/server.properties}:
 * pid, url, warehouse.url), which tells the other commands where the server is.
 */
final class RunFile {
  private RunFile() {
  }

  /** The run file of a live {@code bin/lode serve} over this data directory, if any. */
  static Optional<Properties> read(LodeConfig config) {
    Path run = config.dataDir().resolve("run").resolve("server.properties");
    if (!Files.isRegularFile(run)) {
      return Optional.empty();
    }
    Properties p = new Properties();
    try (InputStream in = Files.newInputStream(run)) {
      p.load(in);
    } catch (java.io.IOException e) {
      return Optional.empty();
    }
    long pid;
    try {
      pid = Long.parseLong(p.getProperty("pid", "-1"));
    } catch (NumberFormatException e) {
      return Optional.empty();
    }
    return ProcessHandle.of(pid).filter(ProcessHandle::isAlive).map(h -> p);
  }
}
