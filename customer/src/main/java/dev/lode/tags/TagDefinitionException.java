package dev.lode.tags;

/** A tag definition file that cannot be used: malformed header, bad SQL shape or a refused category. */
public class TagDefinitionException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  public TagDefinitionException(String message) {
    super(message);
  }

  public TagDefinitionException(String message, Throwable cause) {
    super(message, cause);
  }
}
