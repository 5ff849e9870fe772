package dev.lode.profiles;

import dev.lode.config.LodeConfig;

/**
 * How profiles are computed: the half-life of category interest (a shift in browsing
 * overtakes old interest within about one half-life of steady new activity) and the
 * dwell below which a view counts as a misclick.
 */
public record ProfileSettings(double interestHalfLifeDays, long misclickMs) {
  public ProfileSettings {
    if (!(interestHalfLifeDays > 0) || interestHalfLifeDays > 3650) {
      throw new IllegalArgumentException("lode.profiles.interest-half-life-days must be in (0, 3650], got "
          + interestHalfLifeDays);
    }
    if (misclickMs < 0) {
      throw new IllegalArgumentException("lode.profiles.misclick-ms must be >= 0, got " + misclickMs);
    }
  }

  /** From {@code lode.profiles.*}. */
  public static ProfileSettings from(LodeConfig config) {
    String h = config.get("lode.profiles.interest-half-life-days", "7");
    double half;
    try {
      half = Double.parseDouble(h);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("lode.profiles.interest-half-life-days=" + h + " is not a number");
    }
    return new ProfileSettings(half, config.getInt("lode.profiles.misclick-ms", 2000));
  }
}
