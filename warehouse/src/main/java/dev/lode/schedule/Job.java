package dev.lode.schedule;

/** The body of a periodic job: does one run and says in a few words what it did. */
@FunctionalInterface
public interface Job {
  /** One run; the returned outcome (e.g. {@code "12 persons"}) is kept as the job's last outcome. */
  String run() throws Exception;
}
