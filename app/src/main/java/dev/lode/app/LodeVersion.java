package dev.lode.app;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/**
 * Lode's own version: the jar manifest's, else the one the build wrote into
 * {@code lode/version.properties} (classes run from a build directory), else "dev".
 */
public final class LodeVersion {
  private LodeVersion() {
  }

  public static String get() {
    String v = LodeVersion.class.getPackage().getImplementationVersion();
    if (v != null) {
      return v;
    }
    try (InputStream in = LodeVersion.class.getResourceAsStream("/lode/version.properties")) {
      if (in != null) {
        Properties p = new Properties();
        p.load(in);
        String built = p.getProperty("version", "");
        if (!built.isBlank() && !built.startsWith("${")) {
          return built;
        }
      }
    } catch (IOException e) {
      // fall through: the version is informational
    }
    return "dev";
  }
}
