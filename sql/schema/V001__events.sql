-- Behavior events from the tracking collector and the events loader.
--
-- Sort key (distinct_id, event_time, event_id): one visitor's events sit together in
-- time order, which is what windowFunnel, sequenceMatch and path arrays read. The
-- ReplacingMergeTree collapses a re-inserted event (same id, same visitor, same time,
-- e.g. a spool replay after a crash) to one row; the collector also drops retried
-- messageIds before they reach the table. Readers that must never see a transient
-- duplicate use the events_dedup view or FINAL.
CREATE TABLE IF NOT EXISTS events
(
    event_id       String COMMENT 'messageId from the client, or a content hash for loaded rows',
    event_time     DateTime64(3, 'UTC') COMMENT 'when it happened, corrected for client clock skew',
    received_time  DateTime64(3, 'UTC') COMMENT 'when Lode received it',
    sent_time      Nullable(DateTime64(3, 'UTC')) COMMENT 'the client''s sentAt, if any',
    distinct_id    String COMMENT 'the id the event was sent under: user_id if set, else anonymous_id',
    anonymous_id   String,
    user_id        String,
    person_id      String COMMENT 'person resolved at ingest; the identities table gives the current one',
    event_type     LowCardinality(String) COMMENT 'track, page, screen, identify, alias, group',
    event_name     LowCardinality(String) COMMENT 'e.g. page_view, product_view, add_to_cart, checkout, purchase',
    session_id     String,
    url            String,
    page           String COMMENT 'page path or screen name',
    title          String,
    referrer       String,
    item_id        String,
    category       LowCardinality(String),
    price          Nullable(Decimal(18, 4)),
    quantity       Int32,
    revenue        Nullable(Decimal(18, 4)),
    dwell_ms       UInt64 COMMENT 'time on page, derived from page-leave, heartbeat or the next page view',
    device_type    LowCardinality(String),
    os             LowCardinality(String),
    browser        LowCardinality(String),
    user_agent     String,
    ip             String,
    locale         LowCardinality(String),
    country        LowCardinality(String),
    region         LowCardinality(String),
    city           String,
    properties     Map(String, String),
    source         LowCardinality(String) COMMENT 'source system: a collector write key name, a loader file, simulator',
    retention_days UInt16 DEFAULT 0 COMMENT 'TTL class from the granularity policy; 0 = keep',
    INDEX idx_event_name event_name TYPE set(256) GRANULARITY 4,
    INDEX idx_person person_id TYPE bloom_filter GRANULARITY 4,
    INDEX idx_item item_id TYPE bloom_filter GRANULARITY 4
)
ENGINE = ReplacingMergeTree(received_time)
PARTITION BY toYYYYMM(event_time)
ORDER BY (distinct_id, event_time, event_id)
TTL toDateTime(event_time) + toIntervalDay(retention_days) WHERE retention_days > 0;

CREATE VIEW IF NOT EXISTS events_dedup AS
SELECT * FROM events FINAL;
