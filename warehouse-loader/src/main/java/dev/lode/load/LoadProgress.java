package dev.lode.load;

/** Receives the running record count of a load (every few tens of thousands of records). */
@FunctionalInterface
public interface LoadProgress {
  LoadProgress NONE = (read, seconds) -> { };

  void update(long read, double seconds);
}
