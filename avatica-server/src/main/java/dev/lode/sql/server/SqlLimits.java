package dev.lode.sql.server;

import dev.lode.config.LodeConfig;

/**
 * Bounds on one SQL statement served to a client: how long it may run (enforced by
 * ClickHouse's {@code max_execution_time} and, for the rows Lode reads itself, by a deadline
 * checked while the result is read), how many rows its result may have, how much memory the
 * results held for a statement and for one user may take, and how long a result nobody
 * fetches is kept.
 *
 * @param timeoutSeconds       {@code lode.sql.timeout-seconds}
 * @param maxRows              {@code lode.sql.max-rows}
 * @param sessionGapSeconds    {@code lode.sql.session-gap-seconds}, the {@code sessions} table's gap
 * @param statementMemoryBytes {@code lode.sql.statement-memory-mb}: what one statement's held result may take
 *                             (default: an eighth of the heap, at most 256 MB)
 * @param userMemoryBytes      {@code lode.sql.user-memory-mb}: what all results held for one user may take
 *                             together (default: a quarter of the heap)
 * @param resultIdleSeconds    {@code lode.sql.result-idle-seconds}: a held result not fetched for this long is dropped
 */
public record SqlLimits(int timeoutSeconds, long maxRows, long sessionGapSeconds, long statementMemoryBytes,
                        long userMemoryBytes, int resultIdleSeconds) {
  private static final long MB = 1024L * 1024L;

  public static SqlLimits from(LodeConfig config) {
    long heap = Runtime.getRuntime().maxMemory();
    long statementDefault = Math.min(256 * MB, heap / 8);
    long userDefault = heap / 4;
    return new SqlLimits(config.getInt("lode.sql.timeout-seconds", 120),
        Long.parseLong(config.get("lode.sql.max-rows", "1000000")),
        Long.parseLong(config.get("lode.sql.session-gap-seconds", "1800")),
        Long.parseLong(config.get("lode.sql.statement-memory-mb", Long.toString(statementDefault / MB))) * MB,
        Long.parseLong(config.get("lode.sql.user-memory-mb", Long.toString(userDefault / MB))) * MB,
        config.getInt("lode.sql.result-idle-seconds", 300));
  }
}
