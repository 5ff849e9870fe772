package dev.lode.collector;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lode.collector.policy.DwellTracker;
import dev.lode.collector.policy.GranularityPolicy;
import dev.lode.collector.policy.PiiPolicy;
import dev.lode.collector.spool.EventWriter;
import dev.lode.collector.spool.Flusher;
import dev.lode.collector.spool.Spool;
import dev.lode.collector.spool.SpoolErasure;
import dev.lode.collector.wire.BatchMembers;
import dev.lode.collector.wire.BodyDecoder;
import dev.lode.collector.wire.GzipJsonForm;
import dev.lode.collector.wire.RejectedEvent;
import dev.lode.collector.wire.RequestItem;
import dev.lode.collector.wire.SegmentAdapter;
import dev.lode.collector.wire.SensorsAdapter;
import dev.lode.collector.wire.SensorsForm;
import dev.lode.collector.wire.WireJson;
import dev.lode.config.Credentials;
import dev.lode.config.LodeConfig;
import dev.lode.warehouse.Warehouse;
import java.io.IOException;
import java.io.InputStream;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The tracking collector: takes a request body (Segment or Sensors Data), checks the
 * write key, splits and maps events, quarantines the bad ones with a reason, applies
 * the granularity and PII policies, drops retried messageIds, spools what remains and
 * answers only once it is durable; a background flusher moves it into the warehouse.
 */
public final class Collector implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Collector.class);
  private static final int MAX_ERRORS_LISTED = 100;
  private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

  /** The answer to one request: status, JSON body, and the Retry-After seconds (0 = none). */
  public record Outcome(int status, String json, int retryAfterSeconds) {
    /** Whether the request was refused for a write key that is not one of ours (a failed login). */
    public boolean unknownKey() {
      return status == 401 && json.contains("\"reason\":\"" + ReasonCode.UNKNOWN_WRITE_KEY.code() + "\"");
    }
  }

  private final CollectorSettings settings;
  private final Credentials credentials;
  private final GranularityPolicy policy;
  private final PiiPolicy pii;
  private final CollectorMetrics metrics = new CollectorMetrics();
  private final DedupIndex dedup;
  private final DwellTracker dwell;
  private final SegmentAdapter segment;
  private final SensorsAdapter sensors;
  private final Set<String> leaveEvents;
  private final Spool spool;
  private final EventWriter writer;
  private final Flusher flusher;
  /** Ids forgotten by an erasure: their events are dropped before the spool (set at start). */
  private dev.lode.privacy.SuppressionList suppression;
  private SpoolErasure spoolErasure;

  private Collector(CollectorSettings settings, Credentials credentials, GranularityPolicy policy, PiiPolicy pii,
                    dev.lode.collector.wire.ContentId contentIds, Warehouse warehouse) {
    this.settings = settings;
    this.credentials = credentials;
    this.policy = policy;
    this.pii = pii;
    this.dedup = new DedupIndex(settings.dedupCapacity());
    this.dwell = new DwellTracker(settings.sessionTimeoutMs());
    this.segment = new SegmentAdapter(settings, contentIds);
    this.sensors = new SensorsAdapter(settings, contentIds);
    this.leaveEvents = settings.dwellLeaveEvents().stream().map(s -> s.toLowerCase(Locale.ROOT))
        .collect(Collectors.toSet());
    this.writer = new EventWriter(warehouse);
    this.spool = Spool.open(settings.spoolDir(), settings.segmentBytes(), metrics);
    this.flusher = new Flusher(spool, writer, settings, metrics);
    metrics.gauges(spool::pendingBytes, spool::queued, () -> {
      long oldest = spool.oldestQueuedReceived();
      return oldest < 0 ? 0 : Math.max(0, System.currentTimeMillis() - oldest);
    }, dedup::size);
  }

  /** Traits that identify a person across user ids: an event carrying a forgotten one is dropped too. */
  private static final List<String> IDENTIFYING_TRAITS = List.of("email", "traits.email", "phone", "traits.phone",
      "customer_no", "traits.customer_no", "previous_id");

  /** Whether {@code event} names a forgotten person by a trait (the same email under a new user id). */
  private boolean identifiesForgotten(CollectedEvent event) {
    for (String key : IDENTIFYING_TRAITS) {
      String v = event.properties().get(key);
      if (v != null && !v.isEmpty() && suppression.isSuppressedTrait(v)) {
        return true;
      }
    }
    return false;
  }

  /** Opens the spool (replaying what was not flushed), rebuilds the dedup index and starts flushing. */
  public static Collector start(LodeConfig config, Credentials credentials, Warehouse warehouse) {
    CollectorSettings settings = CollectorSettings.from(config);
    GranularityPolicy policy = GranularityPolicy.from(config);
    dev.lode.privacy.PrivacySettings privacy = dev.lode.privacy.PrivacySettings.of(config);
    Collector c = new Collector(settings, credentials, policy, PiiPolicy.from(config),
        new dev.lode.collector.wire.ContentId(privacy.salt()), warehouse);
    try {
      c.publishPolicy(warehouse);
      c.rebuildDedup(warehouse);
    } catch (SQLException e) {
      c.close();
      throw new IllegalStateException("collector: cannot read or write the warehouse: " + e.getMessage(), e);
    }
    c.flusher.start();
    c.suppression = dev.lode.privacy.SuppressionList.of(warehouse, privacy);
    c.spoolErasure = new SpoolErasure(c.spool, 60_000);
    dev.lode.privacy.ErasureStores.register(c.spoolErasure);
    return c;
  }

  /** Writes the policy in force to {@code collector_policy}, so it can be queried. */
  private void publishPolicy(Warehouse w) throws SQLException {
    try (Connection c = w.connect(); Statement st = c.createStatement()) {
      st.execute("TRUNCATE TABLE " + w.mutationTarget("collector_policy"));
      try (PreparedStatement ps = c.prepareStatement("INSERT INTO collector_policy (position, rule, match, action,"
          + " sample_rate, retention_days, applied_at) VALUES (?, ?, ?, ?, ?, ?, ?)")) {
        int pos = 1;
        Instant now = Instant.now();
        for (GranularityPolicy.Rule r : policy.rules()) {
          ps.setInt(1, pos++);
          ps.setString(2, r.name());
          ps.setString(3, r.match());
          ps.setString(4, r.action().name().toLowerCase(Locale.ROOT));
          ps.setDouble(5, r.rate());
          ps.setInt(6, r.retentionDays());
          ps.setObject(7, now);
          ps.addBatch();
        }
        ps.executeBatch();
      }
    }
  }

  /** Loads the messageIds received within the dedup window, then those still in the spool. */
  private void rebuildDedup(Warehouse w) throws SQLException {
    List<String> keys = new ArrayList<>();
    try (Connection c = w.connect(); PreparedStatement ps = c.prepareStatement("SELECT source, event_id FROM events"
        + " WHERE received_time >= now64(3) - toIntervalMillisecond(?) ORDER BY received_time DESC LIMIT ?")) {
      ps.setLong(1, settings.dedupWindowMs());
      ps.setInt(2, settings.dedupCapacity());
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          keys.add(DedupIndex.key(rs.getString(1), rs.getString(2)));
        }
      }
    }
    Collections.reverse(keys); // oldest first, so the newest are evicted last
    for (String k : keys) {
      dedup.claim(k, DedupIndex.DURABLE_CLAIM);
    }
    for (Object r : spool.replayedRecords()) {
      if (r instanceof CollectedEvent e) {
        dedup.claim(DedupIndex.key(e.source(), e.eventId()), DedupIndex.DURABLE_CLAIM);
      }
    }
    LOG.info("collector: dedup index holds {} messageIds", dedup.size());
  }

  public CollectorMetrics metrics() {
    return metrics;
  }

  public CollectorSettings settings() {
    return settings;
  }

  /**
   * A Segment endpoint: {@code type} is track, page, screen, identify, alias or group for
   * a single message, or {@code batch} (also {@code import}) for {@code {"batch": [...]}};
   * {@code basicUser} is the HTTP Basic user name (Segment sends the write key there), or null.
   */
  public Outcome segment(String type, String basicUser, String contentType, String contentEncoding,
                         long contentLength, InputStream body) {
    try {
      boolean batch = type.equals("batch") || type.equals("import");
      Optional<String> headerKey = Optional.ofNullable(basicUser).filter(k -> !k.isEmpty());
      Optional<String> source = headerKey.flatMap(credentials::sourceForWriteKey);
      if (headerKey.isPresent() && source.isEmpty()) {
        throw unknownKey();
      }
      // RudderStack's Node SDK labels its gzip'd JSON as a form: judged on the body once it is read
      boolean gzipJsonForm = GzipJsonForm.declared(contentType, contentEncoding);
      if (!gzipJsonForm) {
        checkMediaType(contentType, false);
      }
      checkCapacity();
      byte[] bytes = BodyDecoder.read(body, contentLength, contentEncoding,
          batch ? settings.maxBatchBytes() : settings.maxEventBytes(),
          batch ? ReasonCode.BATCH_TOO_LARGE : ReasonCode.EVENT_TOO_LARGE);
      if (gzipJsonForm && !GzipJsonForm.isJsonObject(bytes)) {
        throw new CollectorException(415, ReasonCode.UNSUPPORTED_MEDIA_TYPE, "Content-Type '" + contentType
            + "' is not accepted; send application/json (a form is accepted only when its gzip'd body is JSON,"
            + " as RudderStack's Node SDK sends)");
      }
      BodyDecoder.Text text = BodyDecoder.decode(bytes);
      BatchMembers members = new BatchMembers();
      List<RequestItem> items = WireJson.split(text, batch ? "batch" : null, batch,
          settings.maxEventBytes(), members);
      if (source.isEmpty()) {
        String key = members.writeKey() != null ? members.writeKey()
            : items.size() == 1 && items.get(0).node().isObject() ? items.get(0).node().path("writeKey").asText("")
            : "";
        if (key.isEmpty()) {
          throw new CollectorException(401, ReasonCode.MISSING_WRITE_KEY, "send the source's write key as the HTTP"
              + " Basic user name (empty password) or as 'writeKey' in the body");
        }
        source = credentials.sourceForWriteKey(key);
        if (source.isEmpty()) {
          throw unknownKey();
        }
      }
      String src = source.get();
      long receivedAt = System.currentTimeMillis();
      Mapper mapper = n -> segment.map(n, batch ? null : type, members.sentAt(), members.context(), src, receivedAt);
      return ingest(items, mapper, src, receivedAt, !batch);
    } catch (CollectorException e) {
      return refuse(e);
    } catch (IOException e) {
      return refuse(new CollectorException(400, ReasonCode.EMPTY_BODY, "cannot read the request body: " + e));
    }
  }

  /**
   * The Sensors Data endpoint: a JSON record or array, or a form with {@code data} /
   * {@code data_list} (base64, gzip'd when {@code gzip=1}) as the Sensors SDKs send; the write
   * key is the HTTP Basic user name ({@code basicUser}, or null) or else the {@code token} parameter.
   */
  public Outcome sensors(String basicUser, String token, String contentType, String contentEncoding,
                         long contentLength, InputStream body) {
    try {
      String key = basicUser != null && !basicUser.isEmpty() ? basicUser : token == null ? "" : token;
      if (key.isEmpty()) {
        throw new CollectorException(401, ReasonCode.MISSING_WRITE_KEY, "send the write key as the HTTP Basic user"
            + " name or as ?token=");
      }
      String src = credentials.sourceForWriteKey(key).orElseThrow(Collector::unknownKey);
      checkMediaType(contentType, true);
      checkCapacity();
      byte[] bytes = BodyDecoder.read(body, contentLength, contentEncoding, settings.maxBatchBytes(),
          ReasonCode.BATCH_TOO_LARGE);
      if (contentType != null && contentType.toLowerCase(Locale.ROOT).startsWith("application/x-www-form-urlencoded")) {
        bytes = SensorsForm.payload(bytes, settings.maxBatchBytes());
      }
      BodyDecoder.Text text = BodyDecoder.decode(bytes);
      List<RequestItem> items = WireJson.split(text, null, true, settings.maxEventBytes(), (n, v) -> { });
      long receivedAt = System.currentTimeMillis();
      return ingest(items, n -> sensors.map(n, src, receivedAt), src, receivedAt, false);
    } catch (CollectorException e) {
      return refuse(e);
    } catch (IOException e) {
      return refuse(new CollectorException(400, ReasonCode.EMPTY_BODY, "cannot read the request body: " + e));
    }
  }

  /** The source a write key stands for, if it is one. */
  public Optional<String> sourceFor(String writeKey) {
    return credentials.sourceForWriteKey(writeKey);
  }

  /** The back-off of failed write-key checks, shared with the SQL endpoint's logins. */
  public dev.lode.config.LoginBackoff loginBackoff() {
    return credentials.backoff();
  }

  /** The answer to a request not checked because {@code who} is backing off after failed write keys. */
  public Outcome backingOff(long seconds, String who) {
    Outcome o = refuse(new CollectorException(429, ReasonCode.TOO_MANY_FAILED_LOGINS, "too many unknown write keys"
        + " from " + who + "; retry in " + seconds + " s"));
    return new Outcome(o.status(), o.json(), (int) Math.min(Integer.MAX_VALUE, seconds));
  }

  private static CollectorException unknownKey() {
    return new CollectorException(401, ReasonCode.UNKNOWN_WRITE_KEY, "unknown write key");
  }

  private static void checkMediaType(String contentType, boolean formAllowed) {
    if (contentType == null || contentType.isBlank()) {
      return;
    }
    String t = contentType.toLowerCase(Locale.ROOT).split(";")[0].strip();
    boolean ok = t.equals("application/json") || t.equals("text/plain") || t.endsWith("+json")
        || t.equals("application/octet-stream") || t.equals("application/gzip")
        || (formAllowed && t.equals("application/x-www-form-urlencoded"));
    if (!ok) {
      throw new CollectorException(415, ReasonCode.UNSUPPORTED_MEDIA_TYPE, "Content-Type '" + contentType
          + "' is not accepted; send application/json" + (formAllowed ? " or a Sensors Data form" : ""));
    }
  }

  private void checkCapacity() {
    if (!spool.healthy()) {
      throw new CollectorException(503, ReasonCode.SPOOL_UNAVAILABLE, "the collector cannot write its spool; retry later");
    }
    if (spool.pendingBytes() > settings.maxPendingBytes()) {
      throw new CollectorException(429, ReasonCode.OVERLOADED, "the warehouse is behind by "
          + spool.pendingBytes() / (1024 * 1024) + " MB; retry later");
    }
  }

  /** Maps one event; bad ones throw. */
  private interface Mapper {
    CollectedEvent map(RequestItem item) throws RejectedEvent;
  }

  private Outcome ingest(List<RequestItem> items, Mapper mapper, String source, long receivedAt, boolean single) {
    List<Object> records = new ArrayList<>();
    List<String> claims = new ArrayList<>();
    List<QuarantinedEvent> quarantined = new ArrayList<>();
    ArrayNode errors = JSON.arrayNode();
    int accepted = 0;
    int duplicates = 0;
    int sampledOut = 0;
    int summarized = 0;
    int dwellUpdates = 0;
    int blanked = 0;
    int suppressed = 0;
    long waitFor = 0;
    List<String> duplicateKeys = new ArrayList<>();
    DedupIndex.Claim claim = new DedupIndex.Claim(DedupIndex.IN_FLIGHT);
    for (RequestItem item : items) {
      ReasonCode reason = item.rejected();
      String detail = item.detail();
      CollectedEvent event = null;
      if (reason == null) {
        try {
          event = mapper.map(item);
        } catch (RejectedEvent r) {
          reason = r.reason();
          detail = r.getMessage();
        }
      }
      if (reason != null) {
        QuarantinedEvent q = new QuarantinedEvent(receivedAt, source, reason, detail, item.raw(),
            "", item.index());
        quarantined.add(q);
        records.add(q);
        if (errors.size() < MAX_ERRORS_LISTED) {
          errors.addObject().put("index", item.index()).put("reason", reason.code()).put("detail", detail);
        }
        continue;
      }
      if (suppression != null && (suppression.isSuppressed(event.userId(), event.anonymousId())
          || identifiesForgotten(event))) {
        suppressed++; // forgotten by an erasure: never stored again
        continue;
      }
      if (event.properties().containsKey("$invalid_user_id") || event.properties().containsKey("$invalid_anonymous_id")) {
        blanked++;
      }
      GranularityPolicy.Rule rule = policy.ruleFor(event.eventName());
      boolean leave = leaveEvents.contains(event.eventName().toLowerCase(Locale.ROOT));
      if (rule.action() == GranularityPolicy.Action.SUMMARIZE) {
        CollectedEvent update = dwell.onActivity(event, leave);
        if (update != null) {
          records.add(update);
          dwellUpdates++;
        }
        summarized++;
        continue;
      }
      String personKey = event.anonymousId().isEmpty() ? event.userId() : event.anonymousId();
      if (rule.action() == GranularityPolicy.Action.SAMPLE && !GranularityPolicy.sampledIn(rule, personKey)) {
        sampledOut++;
        continue;
      }
      String key = DedupIndex.key(source, event.eventId());
      if (dedup.claim(key, claim) != null) {
        duplicates++;
        duplicateKeys.add(key);
        continue;
      }
      claims.add(key);
      if (rule.action() == GranularityPolicy.Action.SAMPLE || rule.retentionDays() != 0) {
        var props = event.properties();
        if (rule.action() == GranularityPolicy.Action.SAMPLE) {
          props = new java.util.LinkedHashMap<>(props);
          props.put("$sample_rate", Double.toString(rule.rate()));
        }
        event = event.withPolicy(rule.retentionDays(), props, event.ip(), event.userAgent());
      }
      event = pii.apply(event);
      records.add(event);
      accepted++;
      if (event.eventType().equals("page") || event.eventType().equals("screen")) {
        CollectedEvent update = dwell.onPageView(event);
        if (update != null) {
          records.add(update);
          dwellUpdates++;
        }
      } else if (leave) {
        CollectedEvent update = dwell.onActivity(event, true);
        if (update != null) {
          records.add(update);
          dwellUpdates++;
        }
      }
    }
    long appended = 0;
    try {
      appended = spool.append(records);
      claim.settle(appended);
      waitFor = Math.max(appended, waitForDuplicates(duplicateKeys));
      spool.awaitDurable(waitFor, settings.durableTimeoutMs());
    } catch (IOException | InterruptedException e) {
      // the claims are given up only when the batch will never be durable: the spool refused it
      // or has failed. A wait that timed out or was interrupted leaves the batch being written,
      // so the claims stay and a client's retry is answered as a duplicate once it is durable
      if (appended == 0 || !spool.healthy()) {
        claims.forEach(k -> dedup.release(k, claim));
      }
      if (e instanceof InterruptedException) {
        Thread.currentThread().interrupt();
      }
      LOG.error("collector: spooling failed", e);
      return refuse(new CollectorException(503, ReasonCode.SPOOL_UNAVAILABLE, "the collector could not make the"
          + " events durable; retry later"));
    }
    metrics.accepted.add(accepted);
    metrics.deduplicated.add(duplicates);
    metrics.sampledOut.add(sampledOut);
    metrics.summarized.add(summarized);
    metrics.dwellUpdates.add(dwellUpdates);
    metrics.idsBlanked.add(blanked);
    metrics.spooledRecords.add(records.size());
    quarantined.forEach(q -> metrics.quarantined(q.reason()));
    if (single && !quarantined.isEmpty()) {
      QuarantinedEvent q = quarantined.get(0);
      metrics.request(400, q.reason().code());
      ObjectNode o = JSON.objectNode().put("success", false).put("reason", q.reason().code())
          .put("message", q.detail()).put("quarantined", true);
      return new Outcome(400, o.toString(), 0);
    }
    metrics.request(200, "ok");
    ObjectNode o = JSON.objectNode().put("success", true).put("accepted", accepted)
        .put("duplicates", duplicates).put("quarantined", quarantined.size()).put("sampledOut", sampledOut)
        .put("summarized", summarized);
    if (suppressed > 0) {
      o.put("suppressed", suppressed);
    }
    if (!errors.isEmpty()) {
      o.set("errors", errors);
    }
    return new Outcome(200, o.toString(), 0);
  }

  /** The highest spool sequence among the first copies of these retried ids (waiting for in-flight claims). */
  private long waitForDuplicates(List<String> keys) throws InterruptedException {
    long max = 0;
    for (String k : keys) {
      Long s = dedup.current(k);
      long deadline = System.currentTimeMillis() + settings.durableTimeoutMs();
      while (s != null && s == DedupIndex.IN_FLIGHT && System.currentTimeMillis() < deadline) {
        Thread.sleep(1);
        s = dedup.current(k);
      }
      if (s != null && s != DedupIndex.IN_FLIGHT) {
        max = Math.max(max, s);
      }
    }
    return max;
  }

  private Outcome refuse(CollectorException e) {
    metrics.request(e.status(), e.reason().code());
    ObjectNode o = JSON.objectNode().put("success", false).put("reason", e.reason().code())
        .put("message", e.getMessage());
    int retryAfter = e.status() == 429 || e.status() == 503 ? 1 : 0;
    return new Outcome(e.status(), o.toString(), retryAfter);
  }

  @Override
  public void close() {
    if (spoolErasure != null) {
      dev.lode.privacy.ErasureStores.unregister(spoolErasure);
    }
    flusher.stop();
    spool.close();
    writer.close();
  }
}
