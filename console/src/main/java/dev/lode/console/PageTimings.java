package dev.lode.console;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Where one console request's time went — each statement it ran (or took from the cache), the
 * connection it opened, the template it rendered — answered as a {@code Server-Timing} header,
 * so a browser's developer tools and {@code bin/lode bench console} can tell which query a
 * slow page waits on. A statement is described by its text with literals left out, never by
 * the values it was asked about. A request's timings are the serving thread's from the request
 * filter ({@link RequestSql}) to the response filter: Jersey runs both and the page on one thread.
 */
public final class PageTimings {
  private static final ThreadLocal<PageTimings> CURRENT = new ThreadLocal<>();
  /** The response header the timings are answered in (W3C Server Timing). */
  public static final String HEADER = "Server-Timing";

  private static final Pattern LITERAL = Pattern.compile("'(?:[^']|'')*'");
  private static final Pattern SPACE = Pattern.compile("\\s+");
  private static final int DESCRIPTION_CHARS = 90;

  private record Step(String name, double millis, String description) {
  }

  private final List<Step> steps = new ArrayList<>();
  private final long startCpuNanos = processCpuNanos();

  /** Starts timing the request this thread serves. */
  static void begin() {
    CURRENT.set(new PageTimings());
  }

  /** The timings of the request this thread serves (a fresh, unreported one outside a request). */
  public static PageTimings current() {
    PageTimings t = CURRENT.get();
    return t == null ? new PageTimings() : t;
  }

  /** Ends timing the request this thread serves and returns its timings, or null when none were started. */
  static PageTimings end() {
    PageTimings t = CURRENT.get();
    CURRENT.remove();
    return t;
  }

  /** Records statement {@code sql} as having taken the time since {@code startNanos} ({@code cached}: answered from the cache). */
  public void statement(String sql, long startNanos, boolean cached) {
    record(cached ? "cached" : "sql", startNanos, describe(sql));
  }

  /** Records step {@code name} (a token: letters, digits, '-') as having taken the time since {@code startNanos}. */
  public synchronized void record(String name, long startNanos, String description) {
    steps.add(new Step(name, (System.nanoTime() - startNanos) / 1e6, description));
  }

  /** How many statements ran (not from the cache). */
  public synchronized int statements() {
    return (int) steps.stream().filter(s -> s.name().equals("sql")).count();
  }

  /**
   * The {@code Server-Timing} header's value: one entry per step, in the order they ran, then
   * {@code cpu}: the CPU time the whole process spent meanwhile (the engine runs in it too), which
   * a busy machine hardly inflates, unlike the durations — on a server with other work it also
   * counts that work.
   */
  public synchronized String header() {
    StringBuilder b = new StringBuilder();
    long cpu = processCpuNanos();
    if (cpu >= 0 && startCpuNanos >= 0) {
      steps.add(new Step("cpu", (cpu - startCpuNanos) / 1e6, "process CPU time during the request"));
    }
    for (Step s : steps) {
      if (!b.isEmpty()) {
        b.append(", ");
      }
      b.append(s.name()).append(String.format(Locale.ROOT, ";dur=%.1f", s.millis()));
      if (s.description() != null) {
        b.append(";desc=\"").append(s.description().replace("\\", "").replace("\"", "'")).append('"');
      }
    }
    return b.toString();
  }

  private static long processCpuNanos() {
    return java.lang.management.ManagementFactory.getOperatingSystemMXBean()
        instanceof com.sun.management.OperatingSystemMXBean os ? os.getProcessCpuTime() : -1;
  }

  /** A statement's text on one line, its string literals as {@code ?}, cut to a length a header carries. */
  static String describe(String sql) {
    String d = SPACE.matcher(LITERAL.matcher(sql).replaceAll("?")).replaceAll(" ").trim();
    d = d.chars().filter(c -> c >= 0x20 && c < 0x7f).collect(StringBuilder::new, StringBuilder::appendCodePoint,
        StringBuilder::append).toString();
    return d.length() > DESCRIPTION_CHARS ? d.substring(0, DESCRIPTION_CHARS - 1) + "~" : d;
  }
}
