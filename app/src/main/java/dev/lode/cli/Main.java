package dev.lode.cli;

/**
 * The process entry of {@code bin/lode}: {@link Lode#main}, from a class whose methods name no
 * picocli type — the launcher looks the main method up through every declared method's
 * signature, and {@link Lode}'s would load picocli before {@link QuickSql} could answer.
 */
public final class Main {
  private Main() {
  }

  public static void main(String[] argv) {
    Lode.main(argv);
  }
}
