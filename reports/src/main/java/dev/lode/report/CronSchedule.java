package dev.lode.report;

import java.time.DayOfWeek;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.util.BitSet;
import java.util.List;
import java.util.Locale;

/**
 * A five-field cron expression ({@code minute hour day-of-month month day-of-week}) with
 * {@code *}, lists, ranges, steps and month/day names, as in crontab(5). When both day
 * fields are restricted a day matches either of them, as cron does.
 */
public final class CronSchedule {
  private static final List<String> MONTHS =
      List.of("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec");
  private static final List<String> DAYS = List.of("sun", "mon", "tue", "wed", "thu", "fri", "sat");

  private final String expression;
  private final BitSet minutes;
  private final BitSet hours;
  private final BitSet daysOfMonth;
  private final BitSet months;
  private final BitSet daysOfWeek;
  private final boolean domRestricted;
  private final boolean dowRestricted;

  private CronSchedule(String expression, String[] f) {
    this.expression = expression;
    this.minutes = field(f[0], 0, 59, List.of(), "minute");
    this.hours = field(f[1], 0, 23, List.of(), "hour");
    this.daysOfMonth = field(f[2], 1, 31, List.of(), "day-of-month");
    this.months = field(f[3], 1, 12, MONTHS, "month");
    BitSet dow = field(f[4], 0, 7, DAYS, "day-of-week");
    if (dow.get(7)) { // 7 is Sunday too
      dow.set(0);
    }
    this.daysOfWeek = dow;
    this.domRestricted = !f[2].equals("*");
    this.dowRestricted = !f[4].equals("*");
  }

  /** Parses an expression such as {@code 0 6 * * 1-5}; the error names the bad field. */
  public static CronSchedule parse(String expression) {
    String[] f = expression.trim().split("\\s+");
    if (f.length != 5) {
      throw new IllegalArgumentException("cron expression '" + expression
          + "' must have 5 fields (minute hour day-of-month month day-of-week), has " + f.length);
    }
    return new CronSchedule(expression.trim(), f);
  }

  private static BitSet field(String text, int min, int max, List<String> names, String what) {
    BitSet bits = new BitSet(max + 1);
    for (String part : text.toLowerCase(Locale.ROOT).split(",")) {
      String range = part;
      int step = 1;
      int slash = part.indexOf('/');
      if (slash >= 0) {
        range = part.substring(0, slash);
        step = number(part.substring(slash + 1), 1, max, List.of(), what, text);
      }
      int lo;
      int hi;
      if (range.equals("*")) {
        lo = min;
        hi = max;
      } else if (range.contains("-")) {
        String[] ends = range.split("-", 2);
        lo = number(ends[0], min, max, names, what, text);
        hi = number(ends[1], min, max, names, what, text);
        if (hi < lo) {
          throw new IllegalArgumentException("cron " + what + " range '" + range + "' runs backwards");
        }
      } else {
        lo = number(range, min, max, names, what, text);
        hi = slash >= 0 ? max : lo;
      }
      for (int v = lo; v <= hi; v += step) {
        bits.set(v);
      }
    }
    return bits;
  }

  private static int number(String s, int min, int max, List<String> names, String what, String field) {
    int named = names.indexOf(s);
    if (named >= 0) {
      return names == MONTHS ? named + 1 : named;
    }
    try {
      int v = Integer.parseInt(s);
      if (v < min || v > max) {
        throw new IllegalArgumentException("cron " + what + " value " + v + " is outside " + min + "-" + max);
      }
      return v;
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("cron " + what + " field '" + field + "' has '" + s + "', not a number or name");
    }
  }

  /** The first matching minute strictly after {@code after}, in {@code after}'s zone. */
  public ZonedDateTime next(ZonedDateTime after) {
    ZonedDateTime t = after.truncatedTo(ChronoUnit.MINUTES).plusMinutes(1);
    // four years of minutes bounds the search (Feb 29 schedules); a match is usually found in the first days
    ZonedDateTime limit = t.plusYears(5);
    while (t.isBefore(limit)) {
      if (!months.get(t.getMonthValue())) {
        t = t.withDayOfMonth(1).truncatedTo(ChronoUnit.DAYS).plusMonths(1);
        continue;
      }
      if (!dayMatches(t)) {
        t = t.truncatedTo(ChronoUnit.DAYS).plusDays(1);
        continue;
      }
      if (!hours.get(t.getHour())) {
        t = t.truncatedTo(ChronoUnit.HOURS).plusHours(1);
        continue;
      }
      if (!minutes.get(t.getMinute())) {
        t = t.plusMinutes(1);
        continue;
      }
      return t;
    }
    throw new IllegalArgumentException("cron expression '" + expression + "' never fires");
  }

  private boolean dayMatches(ZonedDateTime t) {
    boolean dom = daysOfMonth.get(t.getDayOfMonth());
    DayOfWeek d = t.getDayOfWeek();
    boolean dow = daysOfWeek.get(d.getValue() % 7);
    if (domRestricted && dowRestricted) {
      return dom || dow;
    }
    return dom && dow;
  }

  @Override
  public String toString() {
    return expression;
  }
}
