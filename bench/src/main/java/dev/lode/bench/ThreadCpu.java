package dev.lode.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * CPU time per thread group of this process (Java and the embedded engine's native threads
 * alike), read from {@code /proc/self/task}: a benchmark takes one snapshot before and one
 * after its timed part and prints where the CPU went. Threads are grouped by name with
 * digits dropped ({@code lode-http-12} and {@code lode-http-3} are one group). Empty where
 * there is no {@code /proc} (then nothing is printed).
 */
final class ThreadCpu {
  /** Clock ticks per second of {@code /proc/.../stat} times (USER_HZ, 100 on Linux). */
  private static final double TICKS_PER_SECOND = 100.0;

  private final Map<String, Long> ticksByThread;

  private ThreadCpu(Map<String, Long> ticksByThread) {
    this.ticksByThread = ticksByThread;
  }

  /** The CPU ticks every live thread has used so far, by thread id and group. */
  static ThreadCpu snapshot() {
    Map<String, Long> ticks = new HashMap<>();
    Path tasks = Path.of("/proc/self/task");
    if (!Files.isDirectory(tasks)) {
      return new ThreadCpu(ticks);
    }
    try (Stream<Path> s = Files.list(tasks)) {
      for (Path t : s.toList()) {
        try {
          String stat = Files.readString(t.resolve("stat"));
          String comm = Files.readString(t.resolve("comm")).strip();
          // fields after the ") " that closes the command name: utime and stime are the 12th and 13th
          String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
          long used = Long.parseLong(f[11]) + Long.parseLong(f[12]);
          ticks.put(t.getFileName() + "\u0000" + comm.replaceAll("[0-9]+", "#"), used);
        } catch (IOException | RuntimeException gone) {
          // the thread ended meanwhile
        }
      }
    } catch (IOException e) {
      return new ThreadCpu(ticks);
    }
    return new ThreadCpu(ticks);
  }

  /** Seconds of CPU each thread group used between {@code before} and this snapshot, largest first. */
  List<Map.Entry<String, Double>> since(ThreadCpu before) {
    Map<String, Double> groups = new HashMap<>();
    ticksByThread.forEach((key, used) -> {
      long was = before.ticksByThread.getOrDefault(key, 0L);
      String group = key.substring(key.indexOf('\u0000') + 1);
      groups.merge(group, (used - was) / TICKS_PER_SECOND, Double::sum);
    });
    return groups.entrySet().stream().filter(e -> e.getValue() > 0)
        .sorted(Map.Entry.<String, Double>comparingByValue().reversed()).toList();
  }
}
