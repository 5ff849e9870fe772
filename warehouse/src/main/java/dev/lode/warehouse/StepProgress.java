package dev.lode.warehouse;

/**
 * Hears a multi-step job (a resolution run, a profile refresh, a tag cycle) begin each step, so
 * a command line can show how far it is; a server passes {@link #NONE}.
 */
@FunctionalInterface
public interface StepProgress {
  /** Hears nothing. */
  StepProgress NONE = (step, of, name) -> { };

  /** Step {@code step} (0-based) of {@code of} begins; {@code name} says what it does. */
  void begin(int step, int of, String name);
}
