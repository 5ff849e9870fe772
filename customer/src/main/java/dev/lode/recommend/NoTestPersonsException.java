package dev.lode.recommend;

/**
 * rec_eval found nobody to score: no person bought before the cutoff and bought an item new to
 * them in the test period. An average over no person is not a figure (it would be NaN), so the
 * evaluation stops and says which of the split's conditions nothing met. An invalid argument to
 * the SQL layer (SQLSTATE 22023), since the cutoff and test period chose the empty split.
 */
public final class NoTestPersonsException extends IllegalArgumentException {
  public NoTestPersonsException(String message) {
    super(message);
  }
}
