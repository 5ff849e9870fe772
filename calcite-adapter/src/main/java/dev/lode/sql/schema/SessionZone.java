package dev.lode.sql.schema;

import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.Callable;

/**
 * The time zone of the client session a statement is planned for (Druid's {@code sqlTimeZone}),
 * as {@link SessionZoneProgram} reads it. Calcite itself stays in UTC — its own zone would also
 * shift every timestamp it reads from ClickHouse — so the session's zone travels beside it,
 * set by the SQL server around each statement it plans; unset means UTC.
 */
public final class SessionZone {
  private static final ThreadLocal<ZoneId> CURRENT = new ThreadLocal<>();

  private SessionZone() {
  }

  /** Runs {@code work} (which plans or executes a statement) for a session in {@code zone}. */
  public static <T> T during(ZoneId zone, Callable<T> work) throws Exception {
    ZoneId previous = CURRENT.get();
    CURRENT.set(zone);
    try {
      return work.call();
    } finally {
      if (previous == null) {
        CURRENT.remove();
      } else {
        CURRENT.set(previous);
      }
    }
  }

  /** The zone of the statement being planned on this thread; UTC when none was set. */
  static ZoneId current() {
    ZoneId zone = CURRENT.get();
    return zone == null ? ZoneOffset.UTC : zone;
  }
}
