package dev.lode.engine;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** An error the engine raised for a statement, with the ClickHouse error code parsed from its text. */
public final class EngineException extends RuntimeException {
  private static final long serialVersionUID = 1L;
  private static final Pattern CODE = Pattern.compile("Code:\\s*(\\d+)");

  private final int code;

  public EngineException(String message) {
    super(message);
    Matcher m = CODE.matcher(message);
    this.code = m.find() ? Integer.parseInt(m.group(1)) : 1000; // 1000 = POCO_EXCEPTION, ClickHouse's catch-all
  }

  /** The ClickHouse error code, e.g. 62 for SYNTAX_ERROR. */
  public int code() {
    return code;
  }
}
