package dev.lode.console.view;

import io.pebbletemplates.pebble.PebbleEngine;
import io.pebbletemplates.pebble.loader.ClasspathLoader;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.Map;

/**
 * The console's pages as Pebble templates under {@code console/templates/} on the class path,
 * compiled once and HTML-escaped by default: a value from the warehouse is text, never markup,
 * unless a template marks it {@code raw} (only the charts this module draws itself).
 */
public final class Templates {
  private final PebbleEngine engine;

  public Templates() {
    ClasspathLoader loader = new ClasspathLoader(Templates.class.getClassLoader());
    loader.setPrefix("console/templates");
    loader.setSuffix(".peb");
    engine = new PebbleEngine.Builder().loader(loader).strictVariables(false).autoEscaping(true)
        .defaultEscapingStrategy("html").build();
  }

  /** Renders template {@code name} over {@code model}. */
  public String render(String name, Map<String, Object> model) {
    StringWriter out = new StringWriter(8192);
    try {
      engine.getTemplate(name).evaluate(out, model);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toString();
  }
}
