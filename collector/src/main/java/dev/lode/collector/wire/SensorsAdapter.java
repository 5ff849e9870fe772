package dev.lode.collector.wire;

import dev.lode.collector.CollectedEvent;
import dev.lode.collector.CollectorSettings;
import dev.lode.collector.ReasonCode;
import dev.lode.warehouse.IdentifierHygiene;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Locale;

/**
 * Maps Sensors Data records ({@code type} track / track_signup / profile_set,
 * {@code distinct_id}, {@code properties}, {@code time} in epoch ms) to the same
 * {@link CollectedEvent}s as Segment messages: track_signup becomes an alias linking
 * {@code original_id} to the login id, profile_set an identify carrying the profile as traits.
 */
public final class SensorsAdapter {
  private final CollectorSettings settings;
  private final EventScan scan;

  private final ContentId contentIds;

  public SensorsAdapter(CollectorSettings settings, ContentId contentIds) {
    this.settings = settings;
    this.contentIds = contentIds;
    this.scan = new EventScan(settings);
  }

  public CollectedEvent map(RequestItem item, String source, long receivedAt) throws RejectedEvent {
    scan.check(item);
    JsonNode r = item.node();
    EventDraft d = new EventDraft();
    String type = JsonFields.text(r, "type").strip().toLowerCase(Locale.ROOT);
    String distinct = JsonFields.id(r, "distinct_id");
    String login = JsonFields.id(r, "login_id");
    String anonymous = JsonFields.id(r, "anonymous_id");
    JsonNode identities = JsonFields.object(r, "identities");
    if (identities != null) {
      login = SegmentAdapter.firstNonEmpty(login, JsonFields.text(identities, "$identity_login_id"));
      anonymous = SegmentAdapter.firstNonEmpty(anonymous, JsonFields.text(identities, "$identity_anonymous_id"),
          JsonFields.text(identities, "$identity_cookie_id"));
    }
    boolean isLogin = r.path("is_login_id").asBoolean(false) || (!login.isEmpty() && login.equals(distinct));
    d.userId = SegmentAdapter.firstNonEmpty(login, isLogin ? distinct : "");
    d.anonymousId = SegmentAdapter.firstNonEmpty(anonymous, isLogin ? "" : distinct);
    d.userIdGiven = !d.userId.isEmpty();
    d.anonymousIdGiven = !d.anonymousId.isEmpty() || JsonFields.present(r.get("distinct_id"));
    d.timestamp = JsonFields.timestamp(r, "time");
    d.sentAt = JsonFields.timestamp(r, "_flush_time");
    JsonNode props = JsonFields.object(r, "properties");
    switch (type) {
      case "track" -> {
        String event = JsonFields.text(r, "event").strip();
        if (event.isEmpty()) {
          throw new RejectedEvent(ReasonCode.SCHEMA_VIOLATION, "a track record needs a non-empty 'event'");
        }
        switch (event) {
          case "$pageview", "$MPViewScreen" -> {
            d.eventType = "page";
            d.eventName = "page_view";
          }
          case "$AppViewScreen" -> {
            d.eventType = "screen";
            d.eventName = "screen_view";
          }
          default -> {
            d.eventType = "track";
            d.eventName = event;
          }
        }
      }
      case "track_signup" -> {
        String original = JsonFields.id(r, "original_id");
        if (original.isBlank()) {
          throw new RejectedEvent(ReasonCode.MISSING_ID, "a track_signup record needs 'original_id'");
        }
        if (!dev.lode.warehouse.IdentifierHygiene.isUsable(original)
            || !dev.lode.warehouse.IdentifierHygiene.isUsable(distinct)) {
          throw new RejectedEvent(ReasonCode.INVALID_ID, "track_signup ids '" + EventDraft.abbreviate(original)
              + "' / '" + EventDraft.abbreviate(distinct) + "' are not usable identifiers");
        }
        d.eventType = "alias";
        d.eventName = "alias";
        d.userId = distinct;
        d.anonymousId = original;
        d.properties.put("previous_id", original);
        d.properties.put("$sa_event", JsonFields.text(r, "event"));
      }
      case "profile_set", "profile_set_once" -> {
        d.eventType = "identify";
        d.eventName = "identify";
        d.properties.put("$sa_type", type);
      }
      case "" -> throw new RejectedEvent(ReasonCode.SCHEMA_VIOLATION, "a Sensors Data record needs 'type'");
      default -> throw new RejectedEvent(ReasonCode.SCHEMA_VIOLATION, "unsupported Sensors Data type '"
          + EventDraft.abbreviate(type) + "' (track, track_signup, profile_set, profile_set_once)");
    }
    if (props != null) {
      JsonFields.flatten(props, "", d.properties);
      d.url = JsonFields.text(props, "$url");
      d.title = JsonFields.text(props, "$title");
      d.referrer = JsonFields.text(props, "$referrer");
      d.page = SegmentAdapter.firstNonEmpty(JsonFields.text(props, "$url_path"), JsonFields.text(props, "$screen_name"));
      d.os = JsonFields.text(props, "$os");
      d.browser = JsonFields.text(props, "$browser");
      d.ip = JsonFields.text(props, "$ip");
      d.userAgent = JsonFields.text(props, "$user_agent");
      d.country = JsonFields.text(props, "$country");
      d.region = JsonFields.text(props, "$province");
      d.city = JsonFields.text(props, "$city");
      d.itemId = SegmentAdapter.firstNonEmpty(JsonFields.text(props, "product_id"), JsonFields.text(props, "item_id"));
      d.price = JsonFields.decimal(props, "price");
      d.quantity = JsonFields.int32(props, "quantity");
      d.sessionId = JsonFields.text(props, "$session_id");
      UserAgents.fill(d);
    }
    String trackId = JsonFields.id(r, "_track_id");
    d.eventId = trackId.isEmpty() ? contentIds.of(r, "sa:" + type, source)
        : "sa-" + trackId + "-" + (d.timestamp == null ? "" : d.timestamp);
    return d.finish(receivedAt, source, settings);
  }
}
