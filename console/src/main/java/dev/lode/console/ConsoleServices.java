package dev.lode.console;

import dev.lode.collector.CollectorMetrics;
import dev.lode.config.Credentials;
import dev.lode.config.LodeConfig;
import dev.lode.erasure.Erasure;
import dev.lode.schedule.JobState;
import dev.lode.warehouse.Warehouse;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Supplier;

/**
 * What the console reads and acts through, handed in by the application that hosts it: the
 * configuration, the SQL endpoint's users, the warehouse (for operational figures that hold no
 * person's data), the users' own SQL path, the periodic jobs, the collector's counters and
 * spool, the erasure and the versions.
 */
public record ConsoleServices(LodeConfig config, Credentials credentials, Warehouse warehouse, UserSql sql,
                              Supplier<List<JobState>> jobs, CollectorMetrics collector, Path spoolDir,
                              Supplier<Erasure> erasure, String version) {
}
