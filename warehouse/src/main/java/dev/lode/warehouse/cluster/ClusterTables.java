package dev.lode.warehouse.cluster;

import java.util.Map;
import java.util.Optional;
import static java.util.Map.entry;

/**
 * The placement of every table the migrations create: per-id and per-person tables that grow
 * with traffic are sharded by a key their ReplacingMergeTree sort key contains (so a re-sent or
 * reloaded row lands on the shard holding its first copy and collapses there); identity state,
 * the catalog, models and bookkeeping are replicated to every node, so joins against them stay
 * local on each shard. docs/scale-out.md explains each choice.
 */
public final class ClusterTables {
  private static final String PERSON = "cityHash64(person_id)";
  private static final String ROW_OF_PERSON = "one row per person, written by refreshes inside the engine;"
      + " sharded by person_id (its sort key) so FINAL collapses versions on one shard";
  private static final String SMALL = "small; replicated to every node so every shard joins it locally";

  private static final Map<String, Placement> TABLES = Map.ofEntries(
      entry("events", Placement.sharded("cityHash64(distinct_id)", "the big table: sharded by the id each event is"
          + " sent under, fixed at ingest and never rewritten (merges change identities, not events); every behavior"
          + " function's first stage groups by it, so that stage is complete on one shard")),
      entry("persons", Placement.sharded(PERSON, "one row per person; sharded by person_id, its sort key")),
      entry("identities", Placement.everywhere("every id with its current person: replicated to every node, so each"
          + " shard resolves ids to persons locally and a merge is one replicated write, visible everywhere")),
      entry("identity_merges", Placement.everywhere("the merge log the resolver writes; small")),
      entry("identity_conflicts", Placement.everywhere("refused links; small")),
      entry("identity_links", Placement.everywhere("explicit links from files, read whole by the resolver")),
      entry("identity_lookup", Placement.everywhere("the resolver's scratch ids, joined against identities locally")),
      entry("identity_watermarks", Placement.everywhere(SMALL)),
      entry("crm_contacts", Placement.sharded("cityHash64(contact_id)", "CRM records; sharded by contact_id, their"
          + " sort key, so a reload replaces on one shard")),
      entry("items", Placement.everywhere("the catalog: joined by recommendations and profiles, far smaller than events")),
      entry("orders", Placement.sharded("cityHash64(order_id)", "sharded by order_id, the sort key, not by person:"
          + " person_id is stamped after loading (a mutation) and a row must never need to move")),
      entry("order_lines", Placement.sharded("cityHash64(order_id)", "an order's lines together, by order_id, the"
          + " first column of the sort key")),
      entry("tickets", Placement.sharded("cityHash64(ticket_id)", "sharded by ticket_id, the sort key")),
      entry("campaigns", Placement.everywhere(SMALL)),
      entry("campaign_sends", Placement.sharded("cityHash64(campaign_id, send_id)", "sharded by the sort key's"
          + " (campaign_id, send_id)")),
      entry("campaign_responses", Placement.sharded("cityHash64(campaign_id, send_id)", "a send's responses with"
          + " it, by the sort key's (campaign_id, send_id)")),
      entry("consents", Placement.sharded("cityHash64(id_type, id_value)", "per id; sharded by the sort key's"
          + " (id_type, id_value), so the newest decision of an id replaces the older on one shard")),
      entry("tag_definitions", Placement.everywhere(SMALL)),
      entry("tag_values", Placement.sharded(PERSON, ROW_OF_PERSON)),
      entry("tag_membership_daily", Placement.sharded(PERSON, ROW_OF_PERSON)),
      entry("quarantine", Placement.sharded("cityHash64(source, received_time)", "rejected input grows with"
          + " traffic; sharded by its sort key")),
      entry("collector_policy", Placement.everywhere(SMALL)),
      entry("loads", Placement.everywhere("one row per load attempt; the loader's idempotency check reads it")),
      entry("lode_settings", Placement.everywhere("read by views on every shard")),
      entry("report_runs", Placement.everywhere(SMALL)),
      entry("refresh_runs", Placement.everywhere(SMALL)),
      entry("profiles_store", Placement.sharded(PERSON, ROW_OF_PERSON)),
      entry("bot_sessions", Placement.everywhere("flagged sessions, few; profile_events filters every shard's events"
          + " by it locally")),
      entry("rec_models", Placement.everywhere(SMALL)),
      entry("rec_item_neighbors", Placement.everywhere("per item, not per person: bounded by the catalog; every"
          + " shard's recommendation reads join it locally")),
      entry("rec_item_popularity", Placement.everywhere("per item and segment; bounded by the catalog")),
      entry("rec_item_trending", Placement.everywhere("per item; bounded by the catalog")),
      entry("rec_calendar", Placement.everywhere(SMALL)),
      entry("rec_person_recs", Placement.sharded(PERSON, ROW_OF_PERSON)),
      entry("rec_person_items", Placement.sharded(PERSON, "a trained model's top items per person, read by a"
          + " point lookup on person_id")),
      entry("rec_factors", Placement.everywhere("a trained model's vectors, written and read whole by the trainer"
          + " in the JVM: (persons + items) x factors floats")),
      entry("rec_serving_state", Placement.everywhere(SMALL)),
      entry("rec_tunings", Placement.everywhere(SMALL)),
      entry("audit_queries", Placement.sharded("cityHash64(started_at, user)", "one row per SQL statement; grows"
          + " with use; sharded by its sort key")),
      entry("erasures", Placement.everywhere(SMALL)),
      entry("suppressed_ids", Placement.everywhere("checked at ingest by every collector")),
      entry("erasure_scratch", Placement.everywhere("an erasure's ids, joined against every shard's tables locally")),
      entry("silo_attributions", Placement.everywhere("a log of re-stamped persons; small, expires")),
      entry("schema_migrations", Placement.everywhere("which migrations ran: the same answer on every node")));

  private ClusterTables() {
  }

  /** The placement of table {@code name}, empty for a name no migration creates as a table (views). */
  public static Optional<Placement> of(String name) {
    return Optional.ofNullable(TABLES.get(name));
  }

  /** Every placed table. */
  public static Map<String, Placement> all() {
    return TABLES;
  }
}
