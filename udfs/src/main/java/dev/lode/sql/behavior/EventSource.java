package dev.lode.sql.behavior;

import dev.lode.warehouse.SqlLiteral;
import java.util.List;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The relations a behavior function's query reads events and identities from: unqualified
 * names (the connection's database: the warehouse for admins, the masked database for
 * analysts and viewers), or the warehouse's own tables when an aggregate-only function
 * names no personal field (see {@link BehaviorFunction#aggregateSource}).
 *
 * <p>On a cluster {@code events} is a Distributed table sharded by {@code distinct_id}
 * (docs/scale-out.md), and a function's first stage — grouping events per id — is complete on
 * each shard: {@link #perId} asks ClickHouse to run it there and only concatenate the shards'
 * rows ({@code distributed_group_by_no_merge}); later stages (per person, across ids that may
 * sit on different shards) run over those rows on the initiator. With {@code shards} given, the
 * same split is written out by hand — one stage per shard relation, their rows concatenated —
 * which is how tests check on one node that the split changes no answer.
 *
 * @param events     the events relation (all shards)
 * @param identities the current identities relation ({@code id_type, id_value, person_id})
 * @param shards     the events of each shard, when the split is written out; empty otherwise
 */
record EventSource(String events, String identities, List<String> shards) {
  /** The connection's own database. */
  static final EventSource DEFAULT = new EventSource("events", "identities_current");

  EventSource(String events, String identities) {
    this(events, identities, List.of());
  }

  /** The relations of ClickHouse database {@code database}. */
  static EventSource in(String database) {
    String q = SqlLiteral.identifier(database) + ".";
    return new EventSource(q + "events", q + "identities_current");
  }

  /**
   * A stage whose GROUP BY includes {@code distinct_id} (the sharding key), given as a function
   * of the events relation it reads: run shard-locally without a merge, exact because no id's
   * events span two shards; a no-op setting on one server.
   */
  String perId(Function<String, String> stage) {
    if (shards.isEmpty()) {
      return stage.apply(events) + " SETTINGS distributed_group_by_no_merge = 1";
    }
    return shards.stream().map(stage).collect(Collectors.joining(" UNION ALL "));
  }
}
