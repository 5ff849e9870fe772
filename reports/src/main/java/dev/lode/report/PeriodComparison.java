package dev.lode.report;

import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Which run the headline figures are compared with: the same report over the previous period.
 * Declared as {@code -- compare: start_date..end_date} (both shifted back by the range's length) or
 * {@code -- compare: week_start 7 days} / {@code first_cohort 1 month} (one date shifted by a fixed step).
 */
public record PeriodComparison(List<String> dates, int step, ChronoUnit unit) {

  /** Parses the {@code compare:} header value. */
  public static PeriodComparison parse(String text) {
    String t = text.strip();
    if (t.contains("..")) {
      String[] p = t.split("\\.\\.", 2);
      return new PeriodComparison(List.of(p[0].strip(), p[1].strip()), 0, ChronoUnit.DAYS);
    }
    String[] w = t.split("\\s+");
    if (w.length != 3 || !w[1].matches("[0-9]{1,4}")) {
      throw new IllegalArgumentException("compare '" + t + "' must read 'start..end' or '<date parameter> N days|weeks|months'");
    }
    ChronoUnit unit = switch (w[2].replaceAll("s$", "")) {
      case "day" -> ChronoUnit.DAYS;
      case "week" -> ChronoUnit.WEEKS;
      case "month" -> ChronoUnit.MONTHS;
      default -> throw new IllegalArgumentException("compare unit '" + w[2] + "' is not days, weeks or months");
    };
    return new PeriodComparison(List.of(w[0]), Integer.parseInt(w[1]), unit);
  }

  /** The parameters of the previous period for a run with {@code bound}. */
  public Map<String, String> previous(Map<String, String> bound) {
    Map<String, String> out = new LinkedHashMap<>(bound);
    if (dates.size() == 2) {
      LocalDate start = LocalDate.parse(bound.get(dates.get(0)));
      LocalDate end = LocalDate.parse(bound.get(dates.get(1)));
      long span = ChronoUnit.DAYS.between(start, end) + 1;
      out.put(dates.get(0), start.minusDays(span).toString());
      out.put(dates.get(1), end.minusDays(span).toString());
    } else {
      out.put(dates.get(0), LocalDate.parse(bound.get(dates.get(0))).minus(step, unit).toString());
    }
    return out;
  }

  /** The period a run covers, in words: {@code 3 Dec 2011 – 9 Dec 2011}, or the date it starts. */
  public String describe(Map<String, String> bound) {
    String first = ColumnFormat.DATE.format(bound.get(dates.get(0)), null);
    return dates.size() == 2 ? first + " – " + ColumnFormat.DATE.format(bound.get(dates.get(1)), null) : first;
  }
}
