package dev.lode.sql.server;

import dev.lode.config.LodeConfig;

/**
 * Bounds on the SQL served to a client: how long a statement may run (enforced by ClickHouse's
 * {@code max_execution_time} and, for the work Calcite does in the JVM, by a
 * {@link dev.lode.sql.schema.StatementDeadline}), how many rows its result may have, how much
 * memory the results held for a statement, for one user and for all users may take before they
 * spill to disk, how much disk that may take, how long a result nobody fetches is kept, and how
 * many connections one user may hold.
 *
 * @param timeoutSeconds       {@code lode.sql.timeout-seconds}
 * @param maxRows              {@code lode.sql.max-rows}
 * @param sessionGapSeconds    {@code lode.sql.session-gap-seconds}, the {@code sessions} table's gap
 * @param statementMemoryBytes {@code lode.sql.statement-memory-mb}: what one statement's held result may take
 *                             (default: an eighth of the heap, at most 256 MB)
 * @param userMemoryBytes      {@code lode.sql.user-memory-mb}: what all results held for one user may take
 *                             together (default: an eighth of the heap)
 * @param resultsMemoryBytes   {@code lode.sql.results-memory-mb}: what all results held for all users may take
 *                             together (default: a quarter of the heap)
 * @param resultIdleSeconds    {@code lode.sql.result-idle-seconds}: a held result not fetched for this long is dropped
 * @param userSpillBytes       {@code lode.sql.user-spill-mb}: what the rows of one user's held results past the memory
 *                             budgets may take on disk together (default 2048 MB)
 * @param spillDir             {@code lode.sql.spill-dir}: where those rows go (default {@code <data>/spill})
 * @param connectionsPerUser   {@code lode.sql.connections-per-user}: how many SQL connections one user may hold
 *                             open at once (default 64)
 */
public record SqlLimits(int timeoutSeconds, long maxRows, long sessionGapSeconds, long statementMemoryBytes,
                        long userMemoryBytes, long resultsMemoryBytes, int resultIdleSeconds, long userSpillBytes,
                        java.nio.file.Path spillDir, int connectionsPerUser) {
  private static final long MB = 1024L * 1024L;

  public static SqlLimits from(LodeConfig config) {
    long heap = Runtime.getRuntime().maxMemory();
    // what results held for clients may take on the heap, well below it: the estimate per row is an
    // estimate, reading a result makes garbage of its own, and the other users' queries need the rest;
    // one statement may take all its user's share (spilled rows cost CPU when they are read back)
    long statementDefault = Math.min(256 * MB, heap / 8);
    long userDefault = heap / 8;
    long allDefault = heap / 4;
    return new SqlLimits(config.getInt("lode.sql.timeout-seconds", 120),
        Long.parseLong(config.get("lode.sql.max-rows", "1000000")),
        Long.parseLong(config.get("lode.sql.session-gap-seconds", "1800")),
        Long.parseLong(config.get("lode.sql.statement-memory-mb", Long.toString(statementDefault / MB))) * MB,
        Long.parseLong(config.get("lode.sql.user-memory-mb", Long.toString(userDefault / MB))) * MB,
        Long.parseLong(config.get("lode.sql.results-memory-mb", Long.toString(allDefault / MB))) * MB,
        config.getInt("lode.sql.result-idle-seconds", 300),
        Long.parseLong(config.get("lode.sql.user-spill-mb", "2048")) * MB,
        java.nio.file.Path.of(config.get("lode.sql.spill-dir", config.dataDir().resolve("spill").toString())),
        config.getInt("lode.sql.connections-per-user", 64));
  }
}
