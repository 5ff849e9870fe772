package dev.lode.report;

import java.time.Clock;
import java.time.DayOfWeek;
import java.time.LocalDate;
import java.time.temporal.TemporalAdjusters;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One declared report parameter: name, ClickHouse type, default and what it means. A
 * Date default may be relative to the run date: {@code today-1}, {@code week_start-1}
 * (Monday a week back), {@code month_start-6}; it is resolved with the run's clock, and in
 * the report's view as the equivalent ClickHouse expression.
 */
public record ReportParameter(String name, ParameterType type, String defaultText, String description) {
  private static final Pattern NAME = Pattern.compile("[a-z_][a-z0-9_]*");
  private static final Pattern RELATIVE = Pattern.compile("(today|week_start|month_start)\\s*(?:([-+])\\s*([0-9]{1,4}))?");

  public ReportParameter {
    if (!NAME.matcher(name).matches()) {
      throw new IllegalArgumentException("parameter name '" + name + "' must match " + NAME.pattern());
    }
    if (relative(defaultText) != null && type != ParameterType.DATE) {
      throw new IllegalArgumentException("parameter " + name + ": relative default '" + defaultText + "' needs type Date");
    }
    if (relative(defaultText) == null) {
      try {
        type.canonical(defaultText);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("parameter " + name + " default " + e.getMessage(), e);
      }
    }
  }

  private static Matcher relative(String text) {
    Matcher m = RELATIVE.matcher(text.trim());
    return m.matches() ? m : null;
  }

  /** Checks a value given for this parameter; the error names the parameter. */
  public String bind(String raw) {
    try {
      return type.canonical(raw);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("parameter '" + name + "' " + e.getMessage(), e);
    }
  }

  /** The default resolved for a run happening now on {@code clock} (dates in the clock's zone). */
  public String defaultValue(Clock clock) {
    Matcher m = relative(defaultText);
    if (m == null) {
      return type.canonical(defaultText);
    }
    LocalDate today = LocalDate.now(clock);
    int n = offset(m);
    LocalDate d = switch (m.group(1)) {
      case "today" -> today.plusDays(n);
      case "week_start" -> today.with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY)).plusWeeks(n);
      default -> today.withDayOfMonth(1).plusMonths(n);
    };
    return d.toString();
  }

  /** The default as a ClickHouse expression, evaluated when a view over the report is read. */
  public String defaultSql() {
    Matcher m = relative(defaultText);
    if (m == null) {
      return type.literal(type.canonical(defaultText));
    }
    int n = offset(m);
    return switch (m.group(1)) {
      case "today" -> "(today() + " + n + ")";
      case "week_start" -> "(toMonday(today()) + " + (7 * n) + ")";
      default -> "addMonths(toStartOfMonth(today()), " + n + ")";
    };
  }

  private static int offset(Matcher m) {
    if (m.group(2) == null) {
      return 0;
    }
    int n = Integer.parseInt(m.group(3));
    return m.group(2).equals("-") ? -n : n;
  }
}
