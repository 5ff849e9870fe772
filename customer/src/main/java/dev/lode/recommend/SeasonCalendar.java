package dev.lode.recommend;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDate;
import java.time.MonthDay;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import java.util.TreeSet;

/**
 * The configurable holiday and season calendar ({@code name = kind | ranges | regions}),
 * expanded into dated windows and written to {@code rec_calendar}, where popularity is cut
 * by season and a request's date picks the seasons that are on.
 */
public final class SeasonCalendar {
  /** Yearly entries are expanded for these years; dated entries are taken as written. */
  static final int FIRST_YEAR = 2000;
  static final int LAST_YEAR = 2040;

  /** One dated window of one calendar entry. */
  public record Window(String name, String kind, LocalDate start, LocalDate end, List<String> regions,
                       List<String> notRegions) {
    /** True when the window covers {@code day} for a visitor from {@code region} ('' = unknown). */
    public boolean covers(LocalDate day, String region) {
      if (day.isBefore(start) || day.isAfter(end)) {
        return false;
      }
      if (!regions.isEmpty() && !regions.contains(region)) {
        return false;
      }
      return !notRegions.contains(region);
    }
  }

  private final List<Window> windows;

  private SeasonCalendar(List<Window> windows) {
    this.windows = List.copyOf(windows);
  }

  public List<Window> windows() {
    return windows;
  }

  /** The distinct entry names, e.g. christmas, spring_festival, summer. */
  public List<String> names() {
    TreeSet<String> s = new TreeSet<>();
    windows.forEach(w -> s.add(w.name()));
    return List.copyOf(s);
  }

  /** The built-in calendar, or the file named by {@code file} (relative to the Lode home) when set. */
  public static SeasonCalendar load(Path file) {
    Properties p = new Properties();
    try (InputStream in = file == null
        ? SeasonCalendar.class.getResourceAsStream("/lode/recommend/calendar.properties")
        : Files.newInputStream(file)) {
      if (in == null) {
        throw new IllegalStateException("the built-in calendar lode/recommend/calendar.properties is missing");
      }
      p.load(in);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the recommendation calendar " + file, e);
    }
    return parse(p, file == null ? "built-in calendar" : file.toString());
  }

  /** Parses calendar entries; a malformed entry fails with its name and what is wrong. */
  public static SeasonCalendar parse(Properties p, String origin) {
    List<Window> out = new ArrayList<>();
    for (String name : new TreeSet<>(p.stringPropertyNames())) {
      String where = origin + ": entry '" + name + "'";
      if (!name.matches("[a-z][a-z0-9_]{0,63}")) {
        throw new IllegalArgumentException(where + ": names are lower-case letters, digits and _");
      }
      String[] parts = p.getProperty(name).split("\\|", -1);
      if (parts.length < 2 || parts.length > 3) {
        throw new IllegalArgumentException(where + ": expected 'kind | ranges | regions'");
      }
      String kind = parts[0].trim().toLowerCase(Locale.ROOT);
      if (!kind.equals("holiday") && !kind.equals("season")) {
        throw new IllegalArgumentException(where + ": kind must be holiday or season, got '" + kind + "'");
      }
      List<String> regions = new ArrayList<>();
      List<String> notRegions = new ArrayList<>();
      if (parts.length == 3) {
        for (String r : parts[2].split(",")) {
          String t = r.trim();
          if (t.startsWith("!")) {
            notRegions.add(t.substring(1).trim());
          } else if (!t.isEmpty()) {
            regions.add(t);
          }
        }
      }
      for (String range : parts[1].split(",")) {
        String r = range.trim();
        if (r.isEmpty()) {
          continue;
        }
        String[] ends = r.split("\\.\\.");
        if (ends.length != 2) {
          throw new IllegalArgumentException(where + ": range '" + r + "' must be FROM..TO");
        }
        try {
          if (ends[0].trim().length() == 5) {
            MonthDay from = MonthDay.parse("--" + ends[0].trim());
            MonthDay to = MonthDay.parse("--" + ends[1].trim());
            for (int y = FIRST_YEAR; y <= LAST_YEAR; y++) {
              LocalDate s = from.atYear(y);
              LocalDate e = to.isBefore(from) ? to.atYear(y + 1) : to.atYear(y);
              out.add(new Window(name, kind, s, e, List.copyOf(regions), List.copyOf(notRegions)));
            }
          } else {
            LocalDate s = LocalDate.parse(ends[0].trim());
            LocalDate e = LocalDate.parse(ends[1].trim());
            if (e.isBefore(s)) {
              throw new IllegalArgumentException(where + ": range '" + r + "' ends before it starts");
            }
            out.add(new Window(name, kind, s, e, List.copyOf(regions), List.copyOf(notRegions)));
          }
        } catch (DateTimeParseException e) {
          throw new IllegalArgumentException(where + ": range '" + r + "' is not MM-DD..MM-DD or YYYY-MM-DD..YYYY-MM-DD");
        }
      }
    }
    if (out.isEmpty()) {
      throw new IllegalArgumentException(origin + " defines no calendar entries");
    }
    return new SeasonCalendar(out);
  }

  /** The entries on at {@code day} for {@code region}. */
  public List<String> active(LocalDate day, String region) {
    TreeSet<String> s = new TreeSet<>();
    for (Window w : windows) {
      if (w.covers(day, region)) {
        s.add(w.name());
      }
    }
    return List.copyOf(s);
  }

  /** Replaces {@code rec_calendar} with this calendar; {@code target} names the table to empty (see {@code Warehouse.mutationTarget}). */
  public void writeTo(Connection c, String target) throws SQLException {
    try (Statement st = c.createStatement()) {
      st.execute("TRUNCATE TABLE " + target);
    }
    try (PreparedStatement ps = c.prepareStatement(
        "INSERT INTO rec_calendar (name, kind, start_date, end_date, regions, not_regions) VALUES (?, ?, ?, ?, ?, ?)")) {
      for (Window w : windows) {
        ps.setString(1, w.name());
        ps.setString(2, w.kind());
        ps.setObject(3, w.start());
        ps.setObject(4, w.end());
        ps.setArray(5, c.createArrayOf("String", w.regions().toArray()));
        ps.setArray(6, c.createArrayOf("String", w.notRegions().toArray()));
        ps.addBatch();
      }
      ps.executeBatch();
    }
  }
}
