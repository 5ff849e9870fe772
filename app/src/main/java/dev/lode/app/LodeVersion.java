package dev.lode.app;

/** Lode's own version, from the jar manifest (or "dev" when run from classes). */
public final class LodeVersion {
  private LodeVersion() {
  }

  public static String get() {
    String v = LodeVersion.class.getPackage().getImplementationVersion();
    return v == null ? "dev" : v;
  }
}
