package dev.lode.sql.behavior;

import dev.lode.warehouse.SqlLiteral;

/**
 * The relations a behavior function's query reads events and identities from: unqualified
 * names (the connection's database: the warehouse for admins, the masked database for
 * analysts and viewers), or the warehouse's own tables when an aggregate-only function
 * names no personal field (see {@link BehaviorFunction#aggregateSource}).
 *
 * @param events     the events relation
 * @param identities the current identities relation ({@code id_type, id_value, person_id})
 */
record EventSource(String events, String identities) {
  /** The connection's own database. */
  static final EventSource DEFAULT = new EventSource("events", "identities_current");

  /** The relations of ClickHouse database {@code database}. */
  static EventSource in(String database) {
    String q = SqlLiteral.identifier(database) + ".";
    return new EventSource(q + "events", q + "identities_current");
  }
}
