package dev.lode.report;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Prints a report's HTML page to PDF with headless Chromium ({@code chromium --headless --print-to-pdf}),
 * so the PDF is the page a browser shows, with the page's print stylesheet (A4, no scrolling boxes).
 * The browser runs with a throw-away profile and no network beyond the local file.
 */
public final class PdfOutput {
  private final String chromium;
  private final long timeoutSeconds;

  /** A printer using the {@code chromium} executable (a path, or a name on the PATH). */
  public PdfOutput(String chromium, long timeoutSeconds) {
    this.chromium = chromium;
    this.timeoutSeconds = timeoutSeconds;
  }

  /** Prints {@code html} (a file) to {@code pdf}; the error says what Chromium printed when it fails. */
  public void print(Path html, Path pdf) throws IOException {
    Path profile = Files.createTempDirectory("lode-chromium-");
    Path log = profile.resolve("chromium.log");
    try {
      List<String> cmd = List.of(chromium, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
          "--disable-background-networking", "--disable-component-update", "--disable-sync", "--disable-extensions",
          "--user-data-dir=" + profile.resolve("profile"), "--no-pdf-header-footer",
          "--print-to-pdf=" + pdf.toAbsolutePath(), html.toAbsolutePath().toUri().toString());
      Process p;
      try {
        p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
      } catch (IOException e) {
        throw new IOException("cannot start Chromium ('" + chromium + "') to print the PDF: install it (Debian: apt-get"
            + " install chromium) or set lode.reports.chromium to its path; " + e.getMessage(), e);
      }
      try {
        if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
          p.destroyForcibly();
          throw new IOException("Chromium did not print " + html.getFileName() + " within " + timeoutSeconds + " s");
        }
      } catch (InterruptedException e) {
        p.destroyForcibly();
        Thread.currentThread().interrupt();
        throw new IOException("interrupted while Chromium printed " + html.getFileName(), e);
      }
      if (p.exitValue() != 0 || !Files.isRegularFile(pdf) || Files.size(pdf) == 0) {
        String out = Files.readString(log);
        throw new IOException("Chromium (exit " + p.exitValue() + ") wrote no PDF for " + html.getFileName() + ": "
            + out.substring(Math.max(0, out.length() - 600)).strip());
      }
    } finally {
      try (Stream<Path> files = Files.walk(profile)) {
        files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
      }
    }
  }
}
