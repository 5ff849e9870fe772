package dev.lode.recommend;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.util.List;

/**
 * Measures one training: the time since it started (reading the purchase matrix included) and the
 * JVM heap pools' peak meanwhile, which {@code rec_models} records and the bench prints.
 */
final class TrainingClock {
  private final long start = System.nanoTime();
  private final List<MemoryPoolMXBean> heap = ManagementFactory.getMemoryPoolMXBeans().stream()
      .filter(p -> p.getType() == MemoryType.HEAP).toList();

  TrainingClock() {
    heap.forEach(MemoryPoolMXBean::resetPeakUsage);
  }

  /** What the training did, timed until now. */
  ModelTraining done(String trainer, PurchaseMatrix m, long rows) {
    long peak = heap.stream().mapToLong(p -> p.getPeakUsage().getUsed()).sum() >> 20;
    return new ModelTraining(trainer, m.persons().size(), m.items().size(), m.pairs(), rows,
        (System.nanoTime() - start) / 1_000_000, peak);
  }
}
