package dev.lode.collector.wire;

import dev.lode.collector.CollectedEvent;
import dev.lode.collector.CollectorSettings;
import dev.lode.collector.ReasonCode;
import com.fasterxml.jackson.databind.JsonNode;
import dev.lode.warehouse.IdentifierHygiene;
import java.util.Locale;
import java.util.Set;

/**
 * Maps Segment tracking-spec messages (track, page, screen, identify, alias, group) to
 * {@link CollectedEvent}s. Batch-level {@code sentAt} and {@code context} apply to every
 * message that has none of its own.
 */
public final class SegmentAdapter {
  static final Set<String> TYPES = Set.of("track", "page", "screen", "identify", "alias", "group");
  private static final int MAX_ID = 256;

  private final CollectorSettings settings;
  private final EventScan scan;
  private final ContentId contentIds;

  public SegmentAdapter(CollectorSettings settings, ContentId contentIds) {
    this.settings = settings;
    this.contentIds = contentIds;
    this.scan = new EventScan(settings);
  }

  /**
   * @param endpointType the type implied by the endpoint, or null for {@code /v1/batch}
   * @param batchSentAt  the batch's {@code sentAt} (epoch ms) or null
   * @param batchContext the batch's {@code context} or null
   */
  public CollectedEvent map(RequestItem item, String endpointType, Long batchSentAt, JsonNode batchContext, String source,
                     long receivedAt) throws RejectedEvent {
    scan.check(item);
    JsonNode e = item.node();
    EventDraft d = new EventDraft();
    String type = endpointType;
    if (type == null) {
      String t = JsonFields.text(e, "type").strip().toLowerCase(Locale.ROOT);
      if (t.isEmpty()) {
        throw new RejectedEvent(ReasonCode.SCHEMA_VIOLATION, "a batch message needs 'type' (one of " + TYPES + ")");
      }
      if (!TYPES.contains(t)) {
        throw new RejectedEvent(ReasonCode.SCHEMA_VIOLATION, "unknown message type '" + EventDraft.abbreviate(t)
            + "' (one of " + TYPES + ")");
      }
      type = t;
    }
    d.eventType = type;
    d.eventId = JsonFields.id(e, "messageId");
    if (d.eventId.length() > MAX_ID) {
      throw new RejectedEvent(ReasonCode.SCHEMA_VIOLATION, "messageId is longer than " + MAX_ID + " characters");
    }
    if (d.eventId.isBlank()) {
      d.eventId = contentIds.of(e, type, source);
    }
    d.userId = JsonFields.id(e, "userId");
    d.anonymousId = JsonFields.id(e, "anonymousId");
    d.userIdGiven = JsonFields.present(e.get("userId"));
    d.anonymousIdGiven = JsonFields.present(e.get("anonymousId"));
    Long ts = JsonFields.timestamp(e, "timestamp");
    d.timestamp = ts != null ? ts : JsonFields.timestamp(e, "originalTimestamp");
    Long sent = JsonFields.timestamp(e, "sentAt");
    d.sentAt = sent != null ? sent : batchSentAt;
    JsonNode ctx = JsonFields.object(e, "context");
    if (ctx == null) {
      ctx = batchContext;
    }
    JsonNode props = JsonFields.object(e, "properties");
    JsonNode traits = JsonFields.object(e, "traits");
    switch (type) {
      case "track" -> {
        JsonNode ev = e.get("event");
        if (JsonFields.present(ev) && !ev.isTextual()) {
          throw new RejectedEvent(ReasonCode.WRONG_TYPE, "'event' must be a string, got " + JsonFields.kind(ev));
        }
        String event = JsonFields.text(e, "event").strip();
        if (event.isEmpty()) {
          throw new RejectedEvent(ReasonCode.SCHEMA_VIOLATION, "a track message needs a non-empty 'event' name");
        }
        if (event.length() > 200) {
          throw new RejectedEvent(ReasonCode.SCHEMA_VIOLATION, "event name longer than 200 characters");
        }
        d.eventName = event;
        pageFields(d, props, ctx, "");
      }
      case "page", "screen" -> {
        String name = JsonFields.text(e, "name");
        d.eventName = type.equals("page") ? "page_view" : "screen_view";
        if (!name.isEmpty()) {
          d.properties.put("name", name);
        }
        pageFields(d, props, ctx, name);
      }
      case "identify" -> {
        d.eventName = "identify";
        JsonFields.flatten(ctx == null ? null : JsonFields.object(ctx, "traits"), "", d.properties);
        JsonFields.flatten(traits, "", d.properties);
      }
      case "alias" -> {
        d.eventName = "alias";
        String previous = JsonFields.id(e, "previousId");
        if (previous.isBlank()) {
          throw new RejectedEvent(ReasonCode.MISSING_ID, "an alias message needs 'previousId'");
        }
        if (!IdentifierHygiene.isUsable(previous)) {
          throw new RejectedEvent(ReasonCode.INVALID_ID, "previousId '" + EventDraft.abbreviate(previous)
              + "' is not a usable identifier");
        }
        if (d.userId.isBlank()) {
          throw new RejectedEvent(ReasonCode.MISSING_ID, "an alias message needs 'userId'");
        }
        if (!IdentifierHygiene.isUsable(d.userId)) {
          throw new RejectedEvent(ReasonCode.INVALID_ID, "userId '" + EventDraft.abbreviate(d.userId)
              + "' is not a usable identifier");
        }
        d.properties.put("previous_id", previous.strip());
      }
      case "group" -> {
        d.eventName = "group";
        String group = JsonFields.id(e, "groupId");
        if (group.isBlank()) {
          throw new RejectedEvent(ReasonCode.MISSING_ID, "a group message needs 'groupId'");
        }
        d.properties.put("group_id", group);
        JsonFields.flatten(traits, "", d.properties);
      }
      default -> throw new IllegalStateException(type);
    }
    contextFields(d, ctx);
    return d.finish(receivedAt, source, settings);
  }

  /** Page, commerce and session fields from properties (falling back to {@code context.page}). */
  private static void pageFields(EventDraft d, JsonNode props, JsonNode ctx, String name) throws RejectedEvent {
    if (props != null) {
      JsonFields.flatten(props, "", d.properties);
      d.url = JsonFields.text(props, "url");
      d.page = JsonFields.text(props, "path");
      d.title = JsonFields.text(props, "title");
      d.referrer = JsonFields.text(props, "referrer");
      d.itemId = firstNonEmpty(JsonFields.text(props, "product_id"), JsonFields.text(props, "item_id"),
          JsonFields.text(props, "sku"));
      d.category = JsonFields.text(props, "category");
      d.price = JsonFields.decimal(props, "price");
      d.quantity = JsonFields.int32(props, "quantity");
      d.revenue = JsonFields.decimal(props, "revenue");
      if (d.revenue == null) {
        d.revenue = JsonFields.decimal(props, "total");
      }
      d.sessionId = JsonFields.text(props, "session_id");
    }
    if (ctx != null) {
      d.url = firstNonEmpty(d.url, JsonFields.path(ctx, "page", "url"));
      d.page = firstNonEmpty(d.page, JsonFields.path(ctx, "page", "path"));
      d.title = firstNonEmpty(d.title, JsonFields.path(ctx, "page", "title"));
      d.referrer = firstNonEmpty(d.referrer, JsonFields.path(ctx, "page", "referrer"));
    }
    d.page = firstNonEmpty(d.page, name);
  }

  /** Device, network, locale and campaign fields from {@code context}. */
  private static void contextFields(EventDraft d, JsonNode ctx) {
    if (ctx == null) {
      return;
    }
    d.sessionId = firstNonEmpty(d.sessionId, JsonFields.path(ctx, "sessionId"), JsonFields.path(ctx, "session_id"));
    d.ip = JsonFields.path(ctx, "ip");
    d.userAgent = JsonFields.path(ctx, "userAgent");
    d.locale = JsonFields.path(ctx, "locale");
    d.deviceType = JsonFields.path(ctx, "device", "type");
    d.os = JsonFields.path(ctx, "os", "name");
    d.country = JsonFields.path(ctx, "location", "country");
    d.region = JsonFields.path(ctx, "location", "region");
    d.city = JsonFields.path(ctx, "location", "city");
    UserAgents.fill(d);
    JsonNode campaign = ctx.get("campaign");
    if (campaign != null && campaign.isObject()) {
      JsonFields.flatten(campaign, "utm_", d.properties);
    }
    String lib = JsonFields.path(ctx, "library", "name");
    if (!lib.isEmpty()) {
      d.properties.put("$lib", lib + " " + JsonFields.path(ctx, "library", "version"));
    }
  }

  static String firstNonEmpty(String... xs) {
    for (String x : xs) {
      if (x != null && !x.isEmpty()) {
        return x;
      }
    }
    return "";
  }
}
