package dev.lode.recommend;

/**
 * A person's behaviour events as identity resolution attributes them ({@code profile_events_all}
 * semantics: the person the id the event was sent under resolves to now, else the person stamped
 * at ingest), read without joining every event: the collector and the loaders leave
 * {@code events.person_id} empty, so filtering on it alone would find no collector event at all.
 */
final class PersonEvents {
  private static final String IDS = "SELECT id_type, id_value, person_id FROM identities FINAL"
      + " WHERE is_deleted = 0 AND id_type IN ('user_id', 'anonymous_id')";
  private static final String TYPED = "(if(user_id != '', 'user_id', 'anonymous_id'), distinct_id)";

  private PersonEvents() {
  }

  /** A condition on {@code events} true for exactly the events of the one person {@code person} (an SQL expression). */
  static String of(String person) {
    return "(" + TYPED + " IN (SELECT id_type, id_value FROM (" + IDS + ") WHERE person_id = " + person + ")"
        + " OR (person_id = " + person + " AND " + TYPED + " NOT IN (SELECT id_type, id_value FROM (" + IDS + ")"
        + " WHERE id_value IN (SELECT distinct_id FROM events WHERE person_id = " + person + "))))";
  }

  /**
   * {@code FROM events AS e …} with {@code e_person} the attributed person, restricted to the events
   * of the persons {@code persons} selects (a query with one column, person_id).
   */
  static String from(String persons) {
    String mine = "person_id IN (" + persons + ")";
    return "(SELECT e.*, if(i.person_id != '', i.person_id, e.person_id) AS e_person FROM events AS e"
        + " LEFT ANY JOIN (" + IDS + " AND (" + mine + " OR id_value IN (SELECT distinct_id FROM events WHERE " + mine
        + "))) AS i ON i.id_value = e.distinct_id AND i.id_type = if(e.user_id != '', 'user_id', 'anonymous_id')"
        + " WHERE e.distinct_id IN (SELECT id_value FROM (" + IDS + ") WHERE " + mine + ") OR e." + mine + ")";
  }
}
