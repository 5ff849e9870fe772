package dev.lode.privacy;

import java.io.IOException;

/**
 * A place outside the warehouse tables that can hold a person's data — the collector's
 * durable spool, report output files — and removes it when an erasure asks. Stores run
 * before the warehouse is cleaned, so a store that flushes into the warehouse (the spool)
 * has its rows deleted with the rest.
 */
public interface ErasureStore {
  /** A short name for the erasure record, e.g. {@code collector_spool}. */
  String name();

  /** Removes everything mentioning the subject; returns how many records or files it removed or rewrote. */
  long erase(ErasureSubject subject) throws IOException;
}
