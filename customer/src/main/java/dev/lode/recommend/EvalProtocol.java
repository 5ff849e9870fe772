package dev.lode.recommend;

import java.util.Locale;

/**
 * How {@code rec_eval} splits the purchases into what a model learns from and what it must find:
 * by time at the cutoff, a seeded random share of each person's items, or each person's last order.
 * In every protocol the items to find are new to the person (not among their training purchases).
 */
public enum EvalProtocol {
  /** Train on purchases before the cutoff; find the items new to the person bought in [cutoff, test end). */
  TEMPORAL,
  /**
   * Of each person's distinct items bought before the cutoff (persons with two or more), hold out
   * max(1, ⌊n/5⌋) chosen by a seeded hash; train on the rest.
   */
  RANDOM,
  /** Hold out each person's last order before the cutoff (persons with two or more orders); find its new items. */
  LEAVE_LAST_OUT;

  /** The name rec_eval takes: temporal, random, leave_last_out. */
  public String sqlName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** Parses {@link #sqlName()}; an unknown name fails naming the choices. */
  public static EvalProtocol parse(String name) {
    for (EvalProtocol p : values()) {
      if (p.sqlName().equals(name.trim().toLowerCase(Locale.ROOT))) {
        return p;
      }
    }
    throw new IllegalArgumentException("rec_eval(protocol) must be one of temporal, random, leave_last_out, got '"
        + name + "'");
  }
}
