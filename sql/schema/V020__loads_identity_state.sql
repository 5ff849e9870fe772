-- Batch-loader bookkeeping and the inputs and state of incremental identity resolution.

-- One row per load attempt of a file: a completed load of the same bytes with the same
-- mapping makes a second load a no-op ("loading the same file twice adds nothing").
CREATE TABLE IF NOT EXISTS loads
(
    load_id            String,
    kind               LowCardinality(String) COMMENT 'events, orders, tickets, campaigns, campaign_sends, campaign_responses, items, persons, identities',
    file               String COMMENT 'file name as given to the loader',
    file_sha256        String,
    mapping            String COMMENT 'built-in mapping name or mapping file name',
    mapping_sha256     String,
    source             LowCardinality(String),
    started_at         DateTime64(3, 'UTC'),
    finished_at        DateTime64(3, 'UTC'),
    status             LowCardinality(String) COMMENT 'completed, failed',
    rows_read          UInt64,
    rows_loaded        UInt64,
    rows_quarantined   UInt64,
    rows_duplicate     UInt64,
    quarantine_reasons Map(String, UInt64),
    error              String
)
ENGINE = MergeTree
ORDER BY (file_sha256, started_at);

-- Explicit identity links from files (kind identities): "these two ids are one person".
CREATE TABLE IF NOT EXISTS identity_links
(
    id_type     LowCardinality(String),
    id_value    String,
    other_type  LowCardinality(String),
    other_value String,
    linked_at   DateTime64(3, 'UTC'),
    source      LowCardinality(String),
    evidence    String COMMENT 'file and line that carried the link',
    loaded_at   DateTime64(3, 'UTC')
)
ENGINE = ReplacingMergeTree(loaded_at)
ORDER BY (id_type, id_value, other_type, other_value);

-- CRM contact records (kind persons): every id on one record belongs to one person.
-- Emails and phones are kept only as SHA-256 of their normalized form.
CREATE TABLE IF NOT EXISTS crm_contacts
(
    contact_id   String,
    customer_no  String,
    user_id      String,
    email_sha256 String,
    phone_sha256 String,
    country      LowCardinality(String),
    city         String,
    traits       Map(String, String),
    source       LowCardinality(String),
    loaded_at    DateTime64(3, 'UTC')
)
ENGINE = ReplacingMergeTree(loaded_at)
ORDER BY (contact_id);

-- How far the identity resolver has read each input stream (events by received_time,
-- each silo table by loaded_at); the next run reads only what came after.
CREATE TABLE IF NOT EXISTS identity_watermarks
(
    stream     String,
    watermark  DateTime64(3, 'UTC'),
    updated_at DateTime64(3, 'UTC')
)
ENGINE = ReplacingMergeTree(updated_at)
ORDER BY stream;

-- Operator settings that SQL views read (written from the configuration at start).
CREATE TABLE IF NOT EXISTS lode_settings
(
    key        String,
    value      String,
    updated_at DateTime64(3, 'UTC')
)
ENGINE = ReplacingMergeTree(updated_at)
ORDER BY key;

INSERT INTO lode_settings (key, value, updated_at) VALUES
    ('quality.misclick_ms', '2000', toDateTime64('2000-01-01 00:00:00', 3, 'UTC')),
    ('quality.bot_min_events', '10', toDateTime64('2000-01-01 00:00:00', 3, 'UTC')),
    ('quality.bot_max_events_per_minute', '30', toDateTime64('2000-01-01 00:00:00', 3, 'UTC')),
    ('quality.bot_max_gap_cv', '0.1', toDateTime64('2000-01-01 00:00:00', 3, 'UTC')),
    ('quality.late_after_s', '86400', toDateTime64('2000-01-01 00:00:00', 3, 'UTC'));
