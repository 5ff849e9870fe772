-- The customer-service and marketing silos, and consent.
CREATE TABLE IF NOT EXISTS tickets
(
    ticket_id     String,
    requester     String COMMENT 'the id the ticket system knows the customer by (often an email)',
    requester_type LowCardinality(String) COMMENT 'id type of requester, e.g. email_sha256, customer_no',
    person_id     String,
    item_id       String,
    order_id      String,
    opened_at     DateTime64(3, 'UTC'),
    closed_at     Nullable(DateTime64(3, 'UTC')),
    ticket_type   LowCardinality(String) COMMENT 'complaint, return, question, delivery, praise',
    channel       LowCardinality(String),
    sentiment     Float32 COMMENT '-1 (angry) .. 1 (happy)',
    severity      UInt8 COMMENT '1 (low) .. 5 (critical)',
    status        LowCardinality(String),
    subject       String,
    body          String COMMENT 'PII: free text',
    source        LowCardinality(String),
    loaded_at     DateTime64(3, 'UTC')
)
ENGINE = ReplacingMergeTree(loaded_at)
ORDER BY ticket_id;

CREATE TABLE IF NOT EXISTS campaigns
(
    campaign_id String,
    name        String,
    channel     LowCardinality(String),
    offer       LowCardinality(String) COMMENT 'e.g. coupon_10, free_shipping, none',
    starts_at   DateTime64(3, 'UTC'),
    ends_at     Nullable(DateTime64(3, 'UTC')),
    source      LowCardinality(String),
    loaded_at   DateTime64(3, 'UTC')
)
ENGINE = ReplacingMergeTree(loaded_at)
ORDER BY campaign_id;

CREATE TABLE IF NOT EXISTS campaign_sends
(
    campaign_id    String,
    send_id        String,
    recipient      String,
    recipient_type LowCardinality(String),
    person_id      String,
    channel        LowCardinality(String),
    variant        LowCardinality(String),
    sent_at        DateTime64(3, 'UTC'),
    source         LowCardinality(String),
    loaded_at      DateTime64(3, 'UTC')
)
ENGINE = ReplacingMergeTree(loaded_at)
ORDER BY (campaign_id, send_id);

CREATE TABLE IF NOT EXISTS campaign_responses
(
    campaign_id    String,
    send_id        String,
    recipient      String,
    recipient_type LowCardinality(String),
    person_id      String,
    response_type  LowCardinality(String) COMMENT 'open, click, convert, unsubscribe',
    responded_at   DateTime64(3, 'UTC'),
    order_id       String,
    source         LowCardinality(String),
    loaded_at      DateTime64(3, 'UTC')
)
ENGINE = ReplacingMergeTree(loaded_at)
ORDER BY (campaign_id, send_id, response_type, responded_at);

CREATE TABLE IF NOT EXISTS consents
(
    id_type     LowCardinality(String),
    id_value    String,
    person_id   String,
    purpose     LowCardinality(String) COMMENT 'profiling, personalization, marketing',
    granted     UInt8,
    recorded_at DateTime64(3, 'UTC'),
    source      LowCardinality(String)
)
ENGINE = ReplacingMergeTree(recorded_at)
ORDER BY (id_type, id_value, purpose);
