package dev.lode.collector.wire;

import dev.lode.collector.CollectedEvent;
import dev.lode.collector.CollectorSettings;
import dev.lode.collector.ReasonCode;
import dev.lode.warehouse.IdentifierHygiene;
import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * An event being mapped from a wire format (Segment or Sensors Data) to a
 * {@link CollectedEvent}: the adapters fill it, {@link #finish} applies the rules every
 * format shares — garbage ids blanked, clock skew corrected, tolerance checked.
 */
final class EventDraft {
  String eventId = "";
  String eventType = "";
  String eventName = "";
  String anonymousId = "";
  String userId = "";
  boolean anonymousIdGiven;
  boolean userIdGiven;
  Long timestamp;
  Long sentAt;
  String sessionId = "";
  String url = "";
  String page = "";
  String title = "";
  String referrer = "";
  String itemId = "";
  String category = "";
  BigDecimal price;
  int quantity;
  BigDecimal revenue;
  String deviceType = "";
  String os = "";
  String browser = "";
  String userAgent = "";
  String ip = "";
  String locale = "";
  String country = "";
  String region = "";
  String city = "";
  final Map<String, String> properties = new LinkedHashMap<>();

  /**
   * Blanks garbage ids (keeping the raw value in {@code $invalid_user_id} /
   * {@code $invalid_anonymous_id} for audit), then corrects the client clock:
   * {@code event_time = receivedAt − (sentAt − timestamp)}.
   *
   * @throws RejectedEvent invalid_event_name, missing_id, invalid_id or timestamp_out_of_tolerance
   */
  CollectedEvent finish(long receivedAt, String source, CollectorSettings s) throws RejectedEvent {
    EventNames.check(eventName);
    if (!userId.isEmpty() && !IdentifierHygiene.isUsable(userId)) {
      properties.put("$invalid_user_id", userId);
      userId = "";
    } else {
      userId = userId.strip();
    }
    if (!anonymousId.isEmpty() && !IdentifierHygiene.isUsable(anonymousId)) {
      properties.put("$invalid_anonymous_id", anonymousId);
      anonymousId = "";
    } else {
      anonymousId = anonymousId.strip();
    }
    if (userId.isEmpty() && anonymousId.isEmpty()) {
      if (userIdGiven || anonymousIdGiven) {
        throw new RejectedEvent(ReasonCode.INVALID_ID, "userId/anonymousId are not usable identifiers (garbage such as"
            + " 'undefined', 'null', '0' or blank): " + abbreviate(properties.getOrDefault("$invalid_user_id",
            properties.getOrDefault("$invalid_anonymous_id", ""))));
      }
      throw new RejectedEvent(ReasonCode.MISSING_ID, "an event needs userId or anonymousId");
    }
    long eventTime;
    if (timestamp == null) {
      eventTime = receivedAt;
    } else if (sentAt != null) {
      eventTime = receivedAt - (sentAt - timestamp);
    } else {
      eventTime = timestamp;
    }
    if (eventTime > receivedAt + s.futureToleranceMs()) {
      throw new RejectedEvent(ReasonCode.TIMESTAMP_OUT_OF_TOLERANCE, "event time " + java.time.Instant.ofEpochMilli(
          eventTime) + " (after clock-skew correction) is more than " + s.futureToleranceMs() / 1000
          + " s in the future");
    }
    if (eventTime < receivedAt - s.maxAgeMs() || eventTime < 0) {
      throw new RejectedEvent(ReasonCode.TIMESTAMP_OUT_OF_TOLERANCE, "event time " + java.time.Instant.ofEpochMilli(
          eventTime) + " is older than the " + s.maxAgeMs() / 86_400_000L + "-day limit");
    }
    String distinct = userId.isEmpty() ? anonymousId : userId;
    return new CollectedEvent(eventId, eventTime, receivedAt, sentAt, distinct, anonymousId, userId, eventType,
        eventName, sessionId, url, page, title, referrer, itemId, category, price, quantity, revenue, 0, deviceType, os,
        browser, userAgent, ip, locale, country, region, city, properties, source, 0);
  }

  static String abbreviate(String s) {
    return s.length() <= 80 ? s : s.substring(0, 80) + "…";
  }
}
