package dev.lode.load;

import java.util.Map;
import java.util.TreeMap;

/**
 * What one load did: records read, rows loaded, records quarantined by reason, records
 * skipped as duplicates (within the file, or the whole file when the same bytes were
 * already loaded with the same mapping), rows written to derived tables, and the tallies
 * the mapping asked for. Every record read is loaded, quarantined or a duplicate.
 */
public record LoadSummary(String file, String kind, String loadId, boolean alreadyLoaded, long read, long loaded,
                          Map<String, Long> quarantined, long duplicates, Map<String, Long> derived,
                          Map<String, Long> tallies, double seconds) {

  public long quarantinedTotal() {
    return quarantined.values().stream().mapToLong(Long::longValue).sum();
  }

  public double rowsPerSecond() {
    return seconds <= 0 ? 0 : read / seconds;
  }

  /** The summary printed at the end of {@code bin/lode load}. */
  public String toText() {
    StringBuilder b = new StringBuilder();
    if (alreadyLoaded) {
      b.append(String.format("%s: already loaded as %s with this mapping; %,d records skipped as duplicates, nothing"
          + " added (use --force to load again)%n", file, kind, duplicates));
      return b.toString();
    }
    b.append(String.format("%s → %s: %,d records in %.2f s (%,.0f records/s)%n", file, kind, read, seconds,
        rowsPerSecond()));
    b.append(String.format("  loaded        %,12d%n", loaded));
    b.append(String.format("  quarantined   %,12d%n", quarantinedTotal()));
    new TreeMap<>(quarantined).forEach((k, v) -> b.append(String.format("    %-28s %,10d%n", k, v)));
    b.append(String.format("  duplicates    %,12d  (skipped)%n", duplicates));
    derived.forEach((k, v) -> b.append(String.format("  %-13s %,12d  (derived rows)%n", k, v)));
    if (!tallies.isEmpty()) {
      b.append("  of the loaded records:\n");
      tallies.forEach((k, v) -> b.append(String.format("    %-28s %,10d%n", k, v)));
    }
    return b.toString();
  }
}
