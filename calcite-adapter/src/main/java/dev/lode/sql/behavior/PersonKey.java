package dev.lode.sql.behavior;

/**
 * Who "a person" is in behavior functions: the person resolved at ingest, else the id the
 * event was sent under. Identity resolution (the {@code identities} table) re-points ids to
 * their current person after merges; once it publishes a resolved view of events, this
 * expression (and {@link #EVENTS}) is the one place to switch to it, so a person merged
 * mid-funnel counts once.
 */
final class PersonKey {
  /** The events relation behavior functions read. */
  static final String EVENTS = "events";
  /** The person of an event row. */
  static final String EXPRESSION = "coalesce(nullIf(person_id, ''), distinct_id)";

  private PersonKey() {
  }
}
