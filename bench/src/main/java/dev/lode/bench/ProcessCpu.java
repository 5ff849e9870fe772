package dev.lode.bench;

import java.lang.management.ManagementFactory;

/**
 * CPU time of this whole process (the embedded engine's native threads included) and the
 * machine's load average, so a benchmark can say how much work a run cost apart from how
 * long other processes on shared cores made it wait.
 */
final class ProcessCpu {
  private ProcessCpu() {
  }

  static long nanos() {
    if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
      return os.getProcessCpuTime();
    }
    return 0;
  }

  static double loadAverage() {
    return ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
  }
}
