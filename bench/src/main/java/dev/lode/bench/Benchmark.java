package dev.lode.bench;

import java.util.List;

/**
 * One {@code bin/lode bench <name>} measurement. A benchmark prints its figures and how
 * they were made (data size, repetitions, what was compared) so a reader can reproduce
 * them; ratios compare runs made side by side in the same process.
 */
public interface Benchmark {
  String name();

  String summary();

  void run(List<String> args) throws Exception;
}
