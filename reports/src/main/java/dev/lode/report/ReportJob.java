package dev.lode.report;

import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Currency;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One report run end to end: bind parameters (relative dates counted from the data's newest day
 * when {@link #withDataClock} is set), query the period and the previous one its headline compares with
 * (retrying a bounded number of times), write the output files (CSV, HTML, PDF), deliver them to the
 * report's recipients, and record the run in {@code report_runs} as running, then succeeded or failed
 * with every attempt's error and every delivery attempt.
 */
public final class ReportJob {
  private static final Logger LOG = LoggerFactory.getLogger(ReportJob.class);
  private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);

  private final ReportQuery query;
  private final ReportRunLog log;
  private final Clock clock;
  private final int maxAttempts;
  private final Duration retryDelay;
  private final Currency currency;
  private final Optional<PdfOutput> pdf;
  private final Optional<DataClock> dataClock;
  private final Optional<ReportDelivery> delivery;

  public ReportJob(ReportQuery query, ReportRunLog log, Clock clock, int maxAttempts, Duration retryDelay) {
    this(query, log, clock, maxAttempts, retryDelay, Currency.getInstance("GBP"),
        Optional.of(new PdfOutput("chromium", 120)), Optional.empty(), Optional.empty());
  }

  private ReportJob(ReportQuery query, ReportRunLog log, Clock clock, int maxAttempts, Duration retryDelay,
                    Currency currency, Optional<PdfOutput> pdf, Optional<DataClock> dataClock,
                    Optional<ReportDelivery> delivery) {
    if (maxAttempts < 1) {
      throw new IllegalArgumentException("a report needs at least 1 attempt, got " + maxAttempts);
    }
    this.query = query;
    this.log = log;
    this.clock = clock;
    this.maxAttempts = maxAttempts;
    this.retryDelay = retryDelay;
    this.currency = currency;
    this.pdf = pdf;
    this.dataClock = dataClock;
    this.delivery = delivery;
  }

  /** This job showing money in {@code currency} and printing PDFs with {@code pdf}. */
  public ReportJob withRendering(Currency currency, PdfOutput pdf) {
    return new ReportJob(query, log, clock, maxAttempts, retryDelay, currency, Optional.of(pdf), dataClock, delivery);
  }

  /** This job counting relative date defaults from the newest data when it is older than today (see {@link DataClock}). */
  public ReportJob withDataClock(DataClock data) {
    return new ReportJob(query, log, clock, maxAttempts, retryDelay, currency, pdf, Optional.of(data), delivery);
  }

  /** This job delivering successful runs of reports with recipients. */
  public ReportJob withDelivery(ReportDelivery d) {
    return new ReportJob(query, log, clock, maxAttempts, retryDelay, currency, pdf, dataClock, Optional.of(d));
  }

  /** The delivery this job hands runs to, if any. */
  public Optional<ReportDelivery> delivery() {
    return delivery;
  }

  public Clock clock() {
    return clock;
  }

  /**
   * Runs {@code report} and writes {@code formats} into {@code outputDir/<report>/}.
   * Bad parameters fail at once (retrying cannot fix them); query or write errors are
   * retried. The returned run says how it ended; it is recorded either way.
   */
  public ReportRun run(ReportDefinition report, Map<String, String> given, Set<OutputFormat> formats, Path outputDir,
                       String trigger, Optional<Instant> scheduledFor) {
    String runId = UUID.randomUUID().toString();
    Instant started = clock.instant();
    Instant[] version = {started.minusMillis(1)};
    long t0 = System.nanoTime();
    Map<String, String> params;
    try {
      params = ReportQuery.bind(report, given, defaultsClock());
    } catch (IllegalArgumentException e) {
      ReportRun failed = new ReportRun(runId, report.name(), trigger, scheduledFor, started, Optional.of(started),
          ReportRun.Status.FAILED, 0, 0, 0, e.getMessage(), List.of(e.getMessage()), given, List.of());
      record(failed, version);
      return failed;
    }
    record(new ReportRun(runId, report.name(), trigger, scheduledFor, started, Optional.empty(),
        ReportRun.Status.RUNNING, 0, 0, 0, "", List.of(), params, List.of()), version);
    List<String> errors = new ArrayList<>();
    for (int attempt = 1; attempt <= maxAttempts; attempt++) {
      try {
        ReportResult result = query.run(report, params);
        Optional<ReportResult> previous = report.compare().isEmpty() || report.headlines().isEmpty()
            ? Optional.empty() : Optional.of(query.run(report, report.compare().get().previous(params)));
        ReportDocument doc = new ReportDocument(result, previous, currency);
        List<Path> files = write(doc, formats, outputDir, started, pdf);
        ReportRun ok = new ReportRun(runId, report.name(), trigger, scheduledFor, started, Optional.of(clock.instant()),
            ReportRun.Status.SUCCEEDED, attempt, elapsedMs(t0), result.rows().size(), "", List.copyOf(errors), params,
            files);
        if (delivery.isPresent() && delivery.get().hasRecipients(report.name())) {
          // the files are written and the run succeeded: record that before the (slower) delivery
          record(ok, version);
          List<Path> attach = files;
          if (files.stream().noneMatch(f -> f.toString().endsWith(".pdf")) && pdf.isPresent()) {
            try {
              List<Path> withPdf = new ArrayList<>(files);
              withPdf.addAll(write(doc, Set.of(OutputFormat.PDF), outputDir, started, pdf));
              attach = withPdf;
            } catch (IOException e) {
              // the headline still reaches the recipients; the missing attachment is logged
              LOG.warn("report {}: no PDF to attach: {}", report.name(), e.getMessage());
            }
          }
          List<DeliveryAttempt> sent = delivery.get().deliver(doc, attach);
          ok = new ReportRun(runId, report.name(), trigger, scheduledFor, started, Optional.of(clock.instant()),
              ReportRun.Status.SUCCEEDED, attempt, elapsedMs(t0), result.rows().size(), "", List.copyOf(errors), params,
              attach, sent);
        }
        record(ok, version);
        return ok;
      } catch (SQLException | IOException | RuntimeException e) {
        String msg = e.getMessage() == null ? e.toString() : e.getMessage();
        errors.add(msg);
        LOG.warn("report {} attempt {}/{} failed: {}", report.name(), attempt, maxAttempts, msg);
        if (attempt < maxAttempts && !sleep(retryDelay)) {
          break;
        }
      }
    }
    ReportRun failed = new ReportRun(runId, report.name(), trigger, scheduledFor, started, Optional.of(clock.instant()),
        ReportRun.Status.FAILED, errors.size(), elapsedMs(t0), 0, errors.getLast(), List.copyOf(errors), params,
        List.of());
    record(failed, version);
    return failed;
  }

  /** The clock relative defaults count from: the data's, when set and the data is older than today. */
  private Clock defaultsClock() {
    if (dataClock.isEmpty()) {
      return clock;
    }
    try {
      return dataClock.get().forRun(clock);
    } catch (SQLException | RuntimeException e) {
      LOG.warn("cannot read the newest data's day, relative report dates count from today: {}", e.getMessage());
      return clock;
    }
  }

  private static long elapsedMs(long t0) {
    return (System.nanoTime() - t0) / 1_000_000;
  }

  private static boolean sleep(Duration d) {
    try {
      Thread.sleep(d);
      return true;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /**
   * Records the run's state with a version (updated_at) after the previous one, so the final
   * state wins in report_runs even when the clock has not moved (a fixed test clock).
   */
  private void record(ReportRun run, Instant[] version) {
    Instant now = clock.instant().truncatedTo(java.time.temporal.ChronoUnit.MILLIS);
    version[0] = now.isAfter(version[0]) ? now : version[0].plusMillis(1);
    try {
      log.record(run, version[0]);
    } catch (SQLException | RuntimeException e) {
      // the run itself still ends and is returned; losing its record must be loud
      LOG.error("cannot record run {} of report {} ({}) in report_runs: {}", run.runId(), run.report(), run.status(),
          e.getMessage());
    }
  }

  /** Writes {@code <report>_<stamp>.<ext>} and refreshes {@code latest.<ext>} next to it (no PDF). */
  static List<Path> write(ReportResult result, Set<OutputFormat> formats, Path outputDir, Instant ranAt)
      throws IOException {
    return write(ReportDocument.of(result), formats, outputDir, ranAt, Optional.empty());
  }

  /**
   * Writes {@code <report>_<stamp>.<ext>} for each format and refreshes {@code latest.<ext>} next to it;
   * the PDF is the HTML page printed by {@code pdf} (the HTML is written for it even when not asked for).
   */
  public static List<Path> write(ReportDocument doc, Set<OutputFormat> formats, Path outputDir, Instant ranAt,
                                 Optional<PdfOutput> pdf) throws IOException {
    ReportResult result = doc.result();
    if (formats.contains(OutputFormat.PDF) && pdf.isEmpty()) {
      throw new IOException("report " + result.report().name() + ": PDF output needs Chromium (lode.reports.chromium)");
    }
    Path dir = outputDir.resolve(result.report().name());
    Files.createDirectories(dir);
    List<Path> files = new ArrayList<>();
    for (OutputFormat f : OutputFormat.values()) {
      if (!formats.contains(f)) {
        continue;
      }
      Path file = dir.resolve(result.report().name() + "_" + STAMP.format(ranAt) + "." + f.extension());
      Path tmp = dir.resolve("." + file.getFileName() + ".tmp");
      if (f == OutputFormat.PDF) {
        Path html = dir.resolve("." + result.report().name() + "_" + STAMP.format(ranAt) + ".print.html");
        try (Writer w = Files.newBufferedWriter(html, StandardCharsets.UTF_8)) {
          HtmlOutput.write(doc, ranAt, w);
        }
        try {
          pdf.orElseThrow().print(html, tmp);
        } finally {
          Files.deleteIfExists(html);
        }
      } else {
        try (Writer w = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
          switch (f) {
            case CSV -> CsvOutput.write(result, w);
            case HTML -> HtmlOutput.write(doc, ranAt, w);
            default -> throw new IllegalStateException(f.name());
          }
        }
      }
      Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      Files.copy(file, dir.resolve("latest." + f.extension()), StandardCopyOption.REPLACE_EXISTING);
      files.add(file);
    }
    return files;
  }
}
