package dev.lode.recommend;

import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.Locale;

/**
 * What the request knows beyond the person: the region and segment to use for popularity,
 * the date whose seasons apply, and the item being looked at. Parsed from
 * {@code key=value} pairs separated by {@code ;} or {@code &}, e.g.
 * {@code region=China;date=2027-02-01;item=SKU-1}. Empty fields fall back to the person's
 * profile (with consent) and to the day of the request.
 */
public record RecContext(String region, String segment, LocalDate date, String item) {
  public static final RecContext NONE = new RecContext("", "", null, "");

  public RecContext {
    region = region == null ? "" : region.trim();
    segment = segment == null ? "" : segment.trim();
    item = item == null ? "" : item.trim();
  }

  /** Parses a context string; an unknown key or bad date fails with what was wrong. */
  public static RecContext parse(String text) {
    if (text == null || text.isBlank()) {
      return NONE;
    }
    String region = "";
    String segment = "";
    String item = "";
    LocalDate date = null;
    for (String pair : text.split("[;&]")) {
      if (pair.isBlank()) {
        continue;
      }
      int eq = pair.indexOf('=');
      if (eq <= 0) {
        throw new IllegalArgumentException("context '" + pair.trim() + "' is not key=value"
            + " (keys: region, segment, date, item)");
      }
      String key = pair.substring(0, eq).trim().toLowerCase(Locale.ROOT);
      String value = pair.substring(eq + 1).trim();
      switch (key) {
        case "region", "country" -> region = value;
        case "segment" -> segment = value;
        case "item" -> item = value;
        case "date" -> {
          try {
            date = LocalDate.parse(value);
          } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("context date '" + value + "' is not YYYY-MM-DD");
          }
        }
        default -> throw new IllegalArgumentException("context key '" + key
            + "' is unknown (keys: region, segment, date, item)");
      }
    }
    return new RecContext(region, segment, date, item);
  }
}
