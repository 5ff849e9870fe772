package dev.lode.tags;

/**
 * A model tag could not be trained because its training window holds too few positive or negative
 * persons: a fact about the data, not a fault, so the refresh reports the tag as not trained and
 * keeps serving its last published version (if any) instead of failing the cycle.
 */
public final class TooLittleDataException extends RuntimeException {
  public TooLittleDataException(String message) {
    super(message);
  }
}
