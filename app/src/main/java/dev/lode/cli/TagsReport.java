package dev.lode.cli;

import dev.lode.tags.TagService;

/** Prints a profile-and-tag refresh cycle: per step, what it wrote and how long it took. */
public final class TagsReport {
  private TagsReport() {
  }

  /** Prints what each step of the cycle did and how long it took. */
  public static void print(TagService.Cycle c) {
    System.out.printf("profiles   %-11s %,10d persons %,9d ms%n", c.profiles().mode(), c.profiles().persons(),
        c.profiles().millis());
    for (TagService.TagOutcome t : c.tags()) {
      if (!t.ok()) {
        System.out.printf("tag %-26s FAILED: %s%n", t.tagId(), t.error());
        continue;
      }
      if (t.notTrained() != null) {
        System.out.printf("tag %-26s NOT TRAINED (too little data; its last version, if any, stays): %s%n", t.tagId(),
            t.notTrained());
        continue;
      }
      System.out.printf("tag %-26s v%d %,9d tagged %,7d removed %,5d withheld %,7d ms%s%n", t.tagId(),
          t.result().version(), t.result().tagged(), t.result().removed(), t.result().withheld(), t.result().millis(),
          t.model() == null ? "" : String.format("  (held-out AUC %.3f, %,d train / %,d held out)",
              t.model().heldOutAuc(), t.model().trainRows(), t.model().holdoutRows()));
    }
    System.out.printf("consent removals %,d; cycle %,d ms%n", c.consentRemovals(), c.millis());
  }
}
