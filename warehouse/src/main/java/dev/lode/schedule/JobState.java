package dev.lode.schedule;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What one scheduled job last did and when it runs next, as {@code /status} shows it; the
 * instants are null until the job first runs (next run: null once it is stopped).
 */
public record JobState(String name, Duration delay, Instant lastStart, Instant lastFinish, String lastOutcome,
    Instant nextRun, long runs, long failures) {

  /** The state as JSON-ready values (instants in ISO-8601, the delay in seconds). */
  public Map<String, Object> asMap() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("name", name);
    m.put("delaySeconds", delay.toMillis() / 1000.0);
    m.put("lastStart", lastStart == null ? null : lastStart.toString());
    m.put("lastFinish", lastFinish == null ? null : lastFinish.toString());
    m.put("lastOutcome", lastOutcome);
    m.put("nextRun", nextRun == null ? null : nextRun.toString());
    m.put("runs", runs);
    m.put("failures", failures);
    return m;
  }
}
