package dev.lode.sql.behavior;

/**
 * Who "a person" is in behavior functions: the person identity resolution says an event's id
 * belongs to now (the {@code identities} table, as the {@code events_resolved} view reads
 * it); for an id the resolver has not seen yet, the person stamped on its events at ingest
 * (the greatest, should they differ); else the id itself. A person whose ids were merged
 * mid-funnel therefore counts once.
 *
 * <p>An id is looked up as a {@code user_id} when any of its events read by the function
 * carried a user_id, else as an {@code anonymous_id} (the collector sends under the user_id
 * when there is one). The lookup runs once per id, not per event: a function first
 * aggregates events per id ({@code GROUP BY id} with {@link #ID_COLUMNS}), {@link #resolve}
 * joins those rows to their persons, and the function then merges them per person — a join
 * over ids, not over events.
 */
final class PersonKey {
  /** The per-id columns of the first stage: {@code id}, {@code u} (looked up as a user_id), {@code ip} (ingest person). */
  static final String ID_COLUMNS = "distinct_id AS id, max(user_id != '') AS u, max(person_id) AS ip";

  private PersonKey() {
  }

  /**
   * {@code SELECT person, ev FROM …}: each person's events in {@code range} as an array of
   * {@code tuple} (whose first two elements are the time in ms and the event id), sorted by those two.
   */
  static String events(EventSource source, String tuple, TimeRange range) {
    String perId = perId(source, "", "groupArray(" + tuple + ") AS ev", range.condition("event_time"));
    return "SELECT person, arraySort(x -> (x.1, x.2), groupArrayArray(ev)) AS ev FROM (" + resolve(source, perId, "ev")
        + ") GROUP BY person";
  }

  /**
   * The first stage of a behavior function: {@code [WITH with] SELECT id, u, ip, aggregates FROM
   * events WHERE where GROUP BY id}, shard-local on a cluster (see {@link EventSource#perId}).
   */
  static String perId(EventSource source, String with, String aggregates, String where) {
    return source.perId(ev -> (with.isEmpty() ? "" : "WITH " + with + " ") + "SELECT " + ID_COLUMNS + ", " + aggregates
        + " FROM " + ev + " WHERE " + where + " GROUP BY id");
  }

  /**
   * {@code SELECT person, <columns> FROM (perId) …}: the rows of a per-id query (with the
   * columns of {@link #ID_COLUMNS}) with the person each id belongs to.
   */
  static String resolve(EventSource source, String perId, String columns) {
    return "SELECT coalesce(nullIf(i.person_id, ''), nullIf(s.ip, ''), s.id) AS person, " + columns + " FROM (" + perId + ") AS s"
        + " LEFT ANY JOIN (SELECT id_type, id_value, person_id FROM " + source.identities()
        + " WHERE id_type IN ('user_id', 'anonymous_id')) AS i"
        + " ON i.id_value = s.id AND i.id_type = if(s.u, 'user_id', 'anonymous_id')";
  }
}
