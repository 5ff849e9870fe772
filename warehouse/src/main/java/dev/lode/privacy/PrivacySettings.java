package dev.lode.privacy;

import dev.lode.config.SecretFile;
import dev.lode.config.LodeConfig;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * The {@code lode.privacy.*} configuration: the salt of every pseudonym (from
 * {@code lode.privacy.salt}, else generated once per data directory into a file only its
 * owner can read — never from a client), whether forgotten ids are suppressed at ingest,
 * which relations viewers may read, and where report outputs are written.
 *
 * @param salt              the pseudonym salt
 * @param suppressForgotten {@code lode.privacy.suppress-forgotten}: forgotten ids join the suppression list
 * @param viewerRelations   {@code lode.privacy.viewer-relations}: names (or {@code prefix*}) of the aggregate views viewers see
 * @param reportOutputDir   {@code lode.reports.output-dir}: files erasure scans for the forgotten ids
 * @param safeColumns       {@code lode.privacy.safe-columns}: columns ({@code name} or {@code table.name}) reviewed
 *                          as safe for analysts, beyond {@link PiiColumns#SAFE_COLUMNS}
 * @param safeKeys          {@code lode.privacy.safe-property-keys}: {@code properties}/{@code traits} keys reviewed
 *                          as safe, beyond {@link PiiColumns#SAFE_KEYS}
 * @param minGroupSize      {@code lode.privacy.min-group-size}: viewers never see a figure counted over fewer persons
 * @param ingestSalt        the collector's {@code lode.collector.pii.salt} (or its generated file), when one exists:
 *                          what the collector hashed at ingest is found again by erasures
 */
public record PrivacySettings(String salt, boolean suppressForgotten, List<String> viewerRelations,
                              Path reportOutputDir, List<String> safeColumns, List<String> safeKeys, int minGroupSize,
                              java.util.Optional<String> ingestSalt) {
  private static final String SALT_SHAPE = "[A-Za-z0-9_-]{16,256}";

  public static PrivacySettings of(LodeConfig config) {
    String salt = config.get("lode.privacy.salt").map(String::strip).orElseGet(() -> generatedSalt(config.dataDir()));
    if (!salt.matches(SALT_SHAPE)) {
      throw new IllegalArgumentException("lode.privacy.salt must be 16 to 256 letters, digits, '_' or '-'"
          + " (it is embedded in the analysts' view definitions), got " + salt.length() + " characters");
    }
    List<String> viewer = Arrays.stream(config.get("lode.privacy.viewer-relations",
            "report_*,data_quality,tag_quality,tags").split(","))
        .map(String::strip).filter(s -> !s.isEmpty()).toList();
    for (String v : viewer) {
      if (!v.matches("[A-Za-z_][A-Za-z0-9_]*\\*?")) {
        throw new IllegalArgumentException("lode.privacy.viewer-relations: '" + v
            + "' is not a relation name or a name prefix ending in *");
      }
    }
    int minGroup = config.getInt("lode.privacy.min-group-size", 5);
    if (minGroup < 1) {
      throw new IllegalArgumentException("lode.privacy.min-group-size must be at least 1, got " + minGroup);
    }
    return new PrivacySettings(salt, Boolean.parseBoolean(config.get("lode.privacy.suppress-forgotten", "true")),
        viewer, config.getPath("lode.reports.output-dir", "reports-out"),
        names(config.get("lode.privacy.safe-columns", ""), "lode.privacy.safe-columns", "([A-Za-z_][A-Za-z0-9_]*\\.)?"),
        names(config.get("lode.privacy.safe-property-keys", ""), "lode.privacy.safe-property-keys", ""), minGroup,
        ingestSalt(config));
  }

  /** The masks analysts' views apply, with this configuration's allow-lists. */
  public PiiColumns piiColumns() {
    return new PiiColumns(safeColumns, safeKeys);
  }

  private static List<String> names(String csv, String key, String prefix) {
    List<String> out = Arrays.stream(csv.split(",")).map(String::strip).filter(s -> !s.isEmpty()).toList();
    for (String n : out) {
      if (!n.matches(prefix + "[A-Za-z0-9_$.:-]{1,128}")) {
        throw new IllegalArgumentException(key + ": '" + n + "' is not a column or key name");
      }
    }
    return out;
  }

  /** The collector's ingest salt, read (never created) from its setting or its file under the data directory. */
  private static java.util.Optional<String> ingestSalt(LodeConfig config) {
    java.util.Optional<String> set = config.get("lode.collector.pii.salt").map(String::strip).filter(s -> !s.isEmpty());
    if (set.isPresent()) {
      return set;
    }
    Path file = config.dataDir().resolve("collector").resolve("pii.salt");
    try {
      return java.nio.file.Files.isRegularFile(file)
          ? java.util.Optional.of(java.nio.file.Files.readString(file).strip()).filter(s -> !s.isEmpty())
          : java.util.Optional.empty();
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException("cannot read the collector's ingest salt " + file.getFileName(), e);
    }
  }

  /** True when viewers may read {@code relation}. */
  public boolean viewerMayRead(String relation) {
    for (String v : viewerRelations) {
      if (v.endsWith("*") ? relation.startsWith(v.substring(0, v.length() - 1)) : relation.equals(v)) {
        return true;
      }
    }
    return false;
  }

  /** The salt generated for a data directory: created once, kept in {@code privacy.salt} readable only by its owner. */
  private static String generatedSalt(Path dataDir) {
    return SecretFile.readOrCreate(dataDir.resolve("privacy.salt"), 24);
  }
}
