package dev.lode.sql.server;

import dev.lode.config.LodeConfig;

/**
 * Bounds on one SQL statement served to a client: how long it may run (enforced by
 * ClickHouse's {@code max_execution_time} and by cancelling the statement) and how many rows
 * its result may have before the client gets an error asking for a LIMIT.
 *
 * @param timeoutSeconds {@code lode.sql.timeout-seconds}
 * @param maxRows        {@code lode.sql.max-rows}
 * @param sessionGapSeconds {@code lode.sql.session-gap-seconds}, the {@code sessions} table's gap
 */
public record SqlLimits(int timeoutSeconds, long maxRows, long sessionGapSeconds) {
  public static SqlLimits from(LodeConfig config) {
    return new SqlLimits(config.getInt("lode.sql.timeout-seconds", 120),
        Long.parseLong(config.get("lode.sql.max-rows", "1000000")),
        Long.parseLong(config.get("lode.sql.session-gap-seconds", "1800")));
  }
}
