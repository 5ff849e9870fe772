package dev.lode.report;

/** Somewhere a finished report run is sent: email recipients over SMTP, or a webhook. */
public interface DeliveryTarget {
  /** {@code email} or {@code webhook}. */
  String channel();

  /** Who receives it, safe to log and record: no password, no webhook secret. */
  String describe();

  /** Sends {@code message}; throws when the receiving side did not accept it. */
  void send(ReportMessage message) throws Exception;

  /** {@code message} with anything secret of this target (a password, a webhook URL) replaced. */
  default String redact(String message) {
    return message;
  }
}
