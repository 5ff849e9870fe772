package dev.lode.report;

import dev.lode.config.LodeConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneId;
import java.util.Currency;
import java.util.Optional;

/**
 * The {@code lode.reports.*} configuration: where definitions and outputs live, retries, the scheduler,
 * the currency money is shown in, the Chromium that prints PDFs, and whether scheduled runs count relative
 * dates from the newest data ({@code lode.reports.as-of=latest-data}, the default) or from today.
 */
public record ReportSettings(Optional<Path> definitionsDir, Path outputDir, int attempts, Duration retryDelay,
                             long timeoutSeconds, boolean schedulerEnabled, ZoneId zone, Duration poll,
                             Currency currency, String chromium, boolean asOfLatestData) {

  /** Settings with the rendering defaults (pounds sterling, {@code chromium} on the PATH, dates from the data). */
  public ReportSettings(Optional<Path> definitionsDir, Path outputDir, int attempts, Duration retryDelay,
                        long timeoutSeconds, boolean schedulerEnabled, ZoneId zone, Duration poll) {
    this(definitionsDir, outputDir, attempts, retryDelay, timeoutSeconds, schedulerEnabled, zone, poll,
        Currency.getInstance("GBP"), "chromium", true);
  }

  public static ReportSettings of(LodeConfig config) {
    Optional<Path> dir = config.get("lode.reports.dir").map(d -> config.getPath("lode.reports.dir", d));
    int attempts = config.getInt("lode.reports.attempts", 3);
    if (attempts < 1 || attempts > 10) {
      throw new IllegalArgumentException("lode.reports.attempts must be 1..10, got " + attempts);
    }
    return new ReportSettings(dir, config.getPath("lode.reports.output-dir", "reports-out"), attempts,
        Duration.ofMillis(config.getInt("lode.reports.retry-delay-ms", 30_000)),
        config.getInt("lode.reports.timeout-seconds", 600),
        Boolean.parseBoolean(config.get("lode.reports.scheduler.enabled", "true")),
        ZoneId.of(config.get("lode.reports.timezone", "UTC")),
        Duration.ofMillis(config.getInt("lode.reports.scheduler.poll-ms", 1_000)),
        currency(config.get("lode.reports.currency", "GBP")), config.get("lode.reports.chromium", "chromium"),
        asOf(config.get("lode.reports.as-of", "latest-data")));
  }

  private static Currency currency(String code) {
    try {
      return Currency.getInstance(code.strip().toUpperCase(java.util.Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("lode.reports.currency must be an ISO 4217 code such as GBP, EUR or USD, got '"
          + code + "'", e);
    }
  }

  private static boolean asOf(String mode) {
    return switch (mode.strip()) {
      case "latest-data" -> true;
      case "now" -> false;
      default -> throw new IllegalArgumentException("lode.reports.as-of must be latest-data or now, got '" + mode + "'");
    };
  }

  public ReportCatalog catalog() {
    return ReportCatalog.load(definitionsDir.orElse(null));
  }

  /** A job over {@code warehouse} with these retry settings and {@code clock}. */
  public ReportJob job(ConnectionSource warehouse, java.time.Clock clock) {
    return new ReportJob(new ReportQuery(warehouse, timeoutSeconds), new ReportRunLog(warehouse), clock, attempts,
        retryDelay).withRendering(currency, new PdfOutput(chromium, Math.max(60, Math.min(timeoutSeconds, 300))));
  }
}
