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
 */
public record PrivacySettings(String salt, boolean suppressForgotten, List<String> viewerRelations,
                              Path reportOutputDir) {
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
    return new PrivacySettings(salt, Boolean.parseBoolean(config.get("lode.privacy.suppress-forgotten", "true")),
        viewer, config.getPath("lode.reports.output-dir", "reports-out"));
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
