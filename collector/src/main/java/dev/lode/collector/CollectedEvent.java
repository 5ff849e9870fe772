package dev.lode.collector;

import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One accepted event as it will be stored: a row of the {@code events} table. Times are
 * epoch milliseconds (UTC); strings are never null (empty means absent).
 */
public record CollectedEvent(
    String eventId,
    long eventTime,
    long receivedTime,
    Long sentTime,
    String distinctId,
    String anonymousId,
    String userId,
    String eventType,
    String eventName,
    String sessionId,
    String url,
    String page,
    String title,
    String referrer,
    String itemId,
    String category,
    BigDecimal price,
    int quantity,
    BigDecimal revenue,
    long dwellMs,
    String deviceType,
    String os,
    String browser,
    String userAgent,
    String ip,
    String locale,
    String country,
    String region,
    String city,
    Map<String, String> properties,
    String source,
    int retentionDays) {

  /** The same row with a new dwell time and extra properties; stored again, it replaces the first (same sort key). */
  public CollectedEvent withDwell(long dwell, Map<String, String> extraProperties) {
    Map<String, String> p = new LinkedHashMap<>(properties);
    p.putAll(extraProperties);
    return new CollectedEvent(eventId, eventTime, receivedTime, sentTime, distinctId, anonymousId, userId, eventType,
        eventName, sessionId, url, page, title, referrer, itemId, category, price, quantity, revenue, dwell, deviceType,
        os, browser, userAgent, ip, locale, country, region, city, p, source, retentionDays);
  }

  /** The same row with a retention class and properties replaced (policy and PII rules applied). */
  public CollectedEvent withPolicy(int retention, Map<String, String> props, String newIp, String newUserAgent) {
    return new CollectedEvent(eventId, eventTime, receivedTime, sentTime, distinctId, anonymousId, userId, eventType,
        eventName, sessionId, url, page, title, referrer, itemId, category, price, quantity, revenue, dwellMs, deviceType,
        os, browser, newUserAgent, newIp, locale, country, region, city, props, source, retention);
  }

  /** The sort key of the events table; equal keys collapse to one row. */
  public String rowKey() {
    return rowKey(distinctId, eventTime, eventId);
  }

  /** {@link #rowKey()} of these key columns (the flusher reads them from spooled bytes). */
  public static String rowKey(String distinctId, long eventTime, String eventId) {
    return distinctId + '\u0001' + eventTime + '\u0001' + eventId;
  }

  /** Rough heap/spool size, for memory accounting. */
  public int approxBytes() {
    int n = 200 + eventId.length() + distinctId.length() + anonymousId.length() + userId.length() + eventName.length()
        + url.length() + page.length() + title.length() + referrer.length() + userAgent.length();
    for (Map.Entry<String, String> e : properties.entrySet()) {
      n += 40 + e.getKey().length() + e.getValue().length();
    }
    return n * 2;
  }
}
