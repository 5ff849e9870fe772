package dev.lode.tags;

/** A tag definition refused by the {@link SensitivityPolicy}: it would infer a sensitive trait. */
public final class SensitiveTagException extends TagDefinitionException {
  private static final long serialVersionUID = 1L;

  private final String sensitiveClass;

  public SensitiveTagException(String message, String sensitiveClass) {
    super(message);
    this.sensitiveClass = sensitiveClass;
  }

  /** The sensitive class it fell into, e.g. {@code health}. */
  public String sensitiveClass() {
    return sensitiveClass;
  }
}
