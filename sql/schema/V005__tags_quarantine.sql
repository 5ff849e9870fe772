-- Tag definitions (versioned) and tag values with provenance; the quarantine of
-- rejected input, kept with its reason so nothing is silently dropped.
CREATE TABLE IF NOT EXISTS tag_definitions
(
    tag_id      String,
    version     UInt32,
    name        String,
    description String,
    owner       String,
    category    LowCardinality(String),
    sensitivity LowCardinality(String) COMMENT 'none, personal; sensitive classes are refused before they get here',
    kind        LowCardinality(String) COMMENT 'rule, computed, model',
    refresh     String,
    ttl_days    UInt32,
    sql         String,
    metrics     Map(String, String) COMMENT 'e.g. held-out AUC of a model tag',
    created_at  DateTime64(3, 'UTC'),
    status      LowCardinality(String) COMMENT 'active, retired'
)
ENGINE = ReplacingMergeTree(created_at)
ORDER BY (tag_id, version);

CREATE TABLE IF NOT EXISTS tag_values
(
    tag_id       String,
    person_id    String,
    tag_version  UInt32,
    value        String,
    score        Float64,
    computed_at  DateTime64(3, 'UTC'),
    expires_at   Nullable(DateTime64(3, 'UTC')),
    evidence     String COMMENT 'JSON: counts and example event ids',
    is_deleted   UInt8 DEFAULT 0
)
ENGINE = ReplacingMergeTree(computed_at)
ORDER BY (tag_id, person_id);

CREATE TABLE IF NOT EXISTS quarantine
(
    received_time DateTime64(3, 'UTC'),
    source        LowCardinality(String) COMMENT 'collector write key, loader file name',
    reason_code   LowCardinality(String),
    detail        String,
    raw_payload   String,
    file          String,
    line          UInt64
)
ENGINE = MergeTree
PARTITION BY toYYYYMM(received_time)
ORDER BY (source, received_time);
