package dev.lode.report;

import dev.lode.config.LodeConfig;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hands finished runs to their recipients: per report, the mailboxes in
 * {@code lode.reports.delivery.<report>.email} and the webhook in {@code lode.reports.delivery.<report>.webhook}.
 * Each recipient is tried up to {@code attempts} times with a doubling pause; every try is returned
 * for {@code report_runs}, and errors name the recipient without its credentials.
 */
public final class ReportDelivery {
  private static final Logger LOG = LoggerFactory.getLogger(ReportDelivery.class);

  private final Map<String, List<DeliveryTarget>> targets;
  private final int attempts;
  private final Duration backoff;
  private final Optional<URI> linkBase;
  private final Clock clock;

  public ReportDelivery(Map<String, List<DeliveryTarget>> targets, int attempts, Duration backoff,
                        Optional<URI> linkBase, Clock clock) {
    if (attempts < 1 || attempts > 10) {
      throw new IllegalArgumentException("lode.reports.delivery.attempts must be 1..10, got " + attempts);
    }
    this.targets = Map.copyOf(targets);
    this.attempts = attempts;
    this.backoff = backoff;
    this.linkBase = linkBase;
    this.clock = clock;
  }

  /** The recipients configured for the reports of {@code catalog}; a recipient for an unknown report is an error. */
  public static ReportDelivery of(LodeConfig config, ReportCatalog catalog, Clock clock) {
    Optional<SmtpSettings> smtp = SmtpSettings.of(config);
    Map<String, List<DeliveryTarget>> targets = new LinkedHashMap<>();
    Duration timeout = Duration.ofMillis(config.getInt("lode.reports.delivery.timeout-ms", 30_000));
    for (ReportDefinition d : catalog.all()) {
      List<DeliveryTarget> list = new ArrayList<>();
      config.get("lode.reports.delivery." + d.name() + ".email").filter(s -> !s.isBlank()).ifPresent(to -> list.add(
          new EmailTarget(smtp.orElseThrow(() -> new IllegalArgumentException("lode.reports.delivery." + d.name()
              + ".email is set but lode.reports.smtp.host is not")),
              Arrays.stream(to.split(",")).map(String::strip).filter(s -> !s.isEmpty()).toList())));
      config.get("lode.reports.delivery." + d.name() + ".webhook").filter(s -> !s.isBlank()).ifPresent(url -> list.add(
          new WebhookTarget(URI.create(url.strip()), timeout)));
      if (!list.isEmpty()) {
        targets.put(d.name(), list);
      }
    }
    Optional<URI> link = config.get("lode.reports.link-base").filter(s -> !s.isBlank())
        .map(s -> URI.create(s.endsWith("/") ? s : s + "/"));
    return new ReportDelivery(targets, config.getInt("lode.reports.delivery.attempts", 4),
        Duration.ofMillis(config.getInt("lode.reports.delivery.backoff-ms", 2_000)), link, clock);
  }

  /** Whether {@code report} has any recipient. */
  public boolean hasRecipients(String report) {
    return targets.containsKey(report);
  }

  /** The recipients of {@code report}, for listing. */
  public List<DeliveryTarget> recipients(String report) {
    return targets.getOrDefault(report, List.of());
  }

  /** Sends the run to every recipient of its report, retrying each with back-off; returns every attempt. */
  public List<DeliveryAttempt> deliver(ReportDocument doc, List<Path> files) {
    List<DeliveryAttempt> out = new ArrayList<>();
    List<DeliveryTarget> list = recipients(doc.report().name());
    if (list.isEmpty()) {
      return out;
    }
    ReportMessage message = ReportMessage.of(doc, files, linkBase);
    for (DeliveryTarget t : list) {
      Duration pause = backoff;
      for (int attempt = 1; attempt <= attempts; attempt++) {
        try {
          t.send(message);
          out.add(new DeliveryAttempt(t.channel(), t.describe(), attempt, clock.instant(), true, ""));
          LOG.info("report {} delivered by {} to {} (attempt {})", doc.report().name(), t.channel(), t.describe(), attempt);
          break;
        } catch (Exception e) {
          String msg = t.redact(reason(e));
          out.add(new DeliveryAttempt(t.channel(), t.describe(), attempt, clock.instant(), false, msg));
          LOG.warn("report {}: {} to {} attempt {}/{} failed: {}", doc.report().name(), t.channel(), t.describe(),
              attempt, attempts, msg);
          if (attempt < attempts) {
            try {
              Thread.sleep(pause);
            } catch (InterruptedException ie) {
              Thread.currentThread().interrupt();
              return out;
            }
            pause = pause.multipliedBy(2);
          }
        }
      }
    }
    return out;
  }

  /** The failure in one line, with the causes' messages (mail errors nest the server's answer). */
  private static String reason(Throwable e) {
    StringBuilder b = new StringBuilder();
    for (Throwable t = e; t != null && b.length() < 400; t = t.getCause() == t ? null : t.getCause()) {
      String m = t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage().strip();
      if (!b.toString().contains(m)) {
        b.append(b.isEmpty() ? "" : ": ").append(m);
      }
    }
    return b.toString().replace('\n', ' ').replace('\r', ' ');
  }
}
