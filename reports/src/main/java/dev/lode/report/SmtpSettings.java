package dev.lode.report;

import dev.lode.config.LodeConfig;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import java.util.Properties;

/**
 * The mail server reports are sent through ({@code lode.reports.smtp.*}): host, port, TLS mode
 * ({@code starttls} required by default, {@code ssl} for implicit TLS, {@code none} only for a local relay),
 * login and sender. The password is never part of {@link #toString()}.
 */
public record SmtpSettings(String host, int port, String security, Optional<String> user, Optional<String> password,
                           String from, Optional<String> trust, Duration timeout) {

  /** The settings, or empty when {@code lode.reports.smtp.host} is not set. */
  public static Optional<SmtpSettings> of(LodeConfig config) {
    Optional<String> host = config.get("lode.reports.smtp.host").filter(h -> !h.isBlank());
    if (host.isEmpty()) {
      return Optional.empty();
    }
    String security = config.get("lode.reports.smtp.security", "starttls").strip().toLowerCase(Locale.ROOT);
    if (!security.equals("starttls") && !security.equals("ssl") && !security.equals("none")) {
      throw new IllegalArgumentException("lode.reports.smtp.security must be starttls, ssl or none, got '" + security + "'");
    }
    int port = config.getInt("lode.reports.smtp.port", security.equals("ssl") ? 465 : 587);
    Optional<String> user = config.get("lode.reports.smtp.user").filter(u -> !u.isBlank());
    String from = config.get("lode.reports.smtp.from").filter(f -> !f.isBlank()).or(() -> user)
        .orElseThrow(() -> new IllegalArgumentException("lode.reports.smtp.from is not set (the sender address)"));
    return Optional.of(new SmtpSettings(host.get(), port, security, user,
        config.get("lode.reports.smtp.password").filter(p -> !p.isEmpty()), from,
        config.get("lode.reports.smtp.trust").filter(t -> !t.isBlank()),
        Duration.ofMillis(config.getInt("lode.reports.smtp.timeout-ms", 30_000))));
  }

  /** The Jakarta Mail session properties for these settings. */
  Properties sessionProperties() {
    String proto = security.equals("ssl") ? "smtps" : "smtp";
    Properties p = new Properties();
    p.setProperty("mail.transport.protocol", proto);
    p.setProperty("mail." + proto + ".host", host);
    p.setProperty("mail." + proto + ".port", Integer.toString(port));
    p.setProperty("mail." + proto + ".auth", Boolean.toString(user.isPresent()));
    p.setProperty("mail." + proto + ".connectiontimeout", Long.toString(timeout.toMillis()));
    p.setProperty("mail." + proto + ".timeout", Long.toString(timeout.toMillis()));
    p.setProperty("mail." + proto + ".writetimeout", Long.toString(timeout.toMillis()));
    p.setProperty("mail." + proto + ".from", from);
    if (security.equals("starttls")) {
      p.setProperty("mail.smtp.starttls.enable", "true");
      p.setProperty("mail.smtp.starttls.required", "true");
    }
    if (!security.equals("none")) {
      if (trust.isPresent()) {
        // a pinned relay (self-signed certificate): trusted as configured, by host rather than by CA and name
        p.setProperty("mail." + proto + ".ssl.trust", trust.get());
        p.setProperty("mail." + proto + ".ssl.checkserveridentity", "false");
      } else {
        p.setProperty("mail." + proto + ".ssl.checkserveridentity", "true");
      }
    }
    return p;
  }

  @Override
  public String toString() {
    return "smtp " + host + ":" + port + " (" + security + ", user " + user.orElse("none") + ", password "
        + (password.isPresent() ? "set" : "not set") + ")";
  }
}
