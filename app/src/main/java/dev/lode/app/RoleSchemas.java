package dev.lode.app;

import dev.lode.config.Credentials.Role;
import dev.lode.privacy.PrivacySettings;
import dev.lode.privacy.RoleDatabases;
import dev.lode.sql.schema.LodeSchemaFactory;
import dev.lode.sql.server.SqlLimits;
import dev.lode.udf.LodeOperatorTable;
import dev.lode.warehouse.Warehouse;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What each role's SQL connections see. Admins: the warehouse as {@code lode} and the audit
 * tables as {@code audit}. Analysts: {@code lode} over the masked analyst database, with
 * every behavior function. Viewers: {@code lode} over the viewer database (reports and
 * aggregate views) with the aggregate behavior functions only, which read masked events, leave
 * out rows counted over fewer than {@code lode.privacy.min-group-size} persons and refuse
 * id-valued breakdowns and conditions.
 */
final class RoleSchemas {
  /** Behavior functions whose rows are aggregates, never one person's. */
  static final Set<String> AGGREGATE_FUNCTIONS = Set.of("funnel", "retention", "paths", "event_trends");

  private RoleSchemas() {
  }

  /** Rebuilds the role databases from the warehouse catalog and returns each role's schemas. */
  static Map<Role, List<LodeSchemaFactory>> build(LodeContext context, SqlLimits limits) {
    Warehouse w = context.warehouse();
    PrivacySettings privacy = PrivacySettings.of(context.config());
    RoleDatabases dbs = new RoleDatabases(w, privacy);
    dbs.refresh();
    int timeout = limits.timeoutSeconds();
    long gap = limits.sessionGapSeconds();
    // the server's own configuration, not LodeConfig.load(): settings made in code (a bench, a test) or by
    // the WAR's context parameters must reach recommend() as they reach the refreshers
    LodeOperatorTable ops = new LodeOperatorTable(context.config());
    LodeSchemaFactory admin = new LodeSchemaFactory(w, ops, timeout, gap);
    LodeSchemaFactory audit = new LodeSchemaFactory(w, ops, "audit", dbs.auditDatabase(), dbs.auditDatabase(), timeout,
        gap, f -> false);
    LodeSchemaFactory analyst = new LodeSchemaFactory(w, ops, LodeSchemaFactory.SCHEMA, dbs.analystDatabase(),
        dbs.analystDatabase(), timeout, gap, f -> true);
    LodeSchemaFactory viewer = new LodeSchemaFactory(w, ops, LodeSchemaFactory.SCHEMA, dbs.viewerDatabase(),
        dbs.analystDatabase(), timeout, gap, AGGREGATE_FUNCTIONS::contains, privacy.minGroupSize());
    return Map.of(Role.ADMIN, List.of(admin, audit), Role.ANALYST, List.of(analyst), Role.VIEWER, List.of(viewer));
  }
}
