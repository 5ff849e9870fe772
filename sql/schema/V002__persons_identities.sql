-- One customer across silos. identities holds every id Lode has seen with the person it
-- currently belongs to; persons holds one row per person. Both collapse to the latest
-- version of a row (ReplacingMergeTree on updated_at).
CREATE TABLE IF NOT EXISTS persons
(
    person_id   String,
    created_at  DateTime64(3, 'UTC'),
    updated_at  DateTime64(3, 'UTC'),
    first_seen  Nullable(DateTime64(3, 'UTC')),
    last_seen   Nullable(DateTime64(3, 'UTC')),
    email       String COMMENT 'PII: raw email when a CRM source provides it',
    phone       String COMMENT 'PII',
    country     LowCardinality(String),
    region      LowCardinality(String),
    city        String,
    traits      Map(String, String),
    source      LowCardinality(String),
    is_deleted  UInt8 DEFAULT 0
)
ENGINE = ReplacingMergeTree(updated_at)
ORDER BY person_id;

CREATE TABLE IF NOT EXISTS identities
(
    id_type     LowCardinality(String) COMMENT 'anonymous_id, user_id, email_sha256, phone_sha256, customer_no, ticket_requester, campaign_recipient, sensors_distinct_id',
    id_value    String,
    person_id   String,
    first_seen  DateTime64(3, 'UTC'),
    updated_at  DateTime64(3, 'UTC'),
    source      LowCardinality(String),
    link_reason String COMMENT 'what linked this id: identify, alias, login, crm_key, merge',
    is_deleted  UInt8 DEFAULT 0
)
ENGINE = ReplacingMergeTree(updated_at)
ORDER BY (id_type, id_value);

CREATE TABLE IF NOT EXISTS identity_merges
(
    merged_at       DateTime64(3, 'UTC'),
    from_person_id  String,
    into_person_id  String,
    link_id_type    LowCardinality(String),
    link_id_value   String,
    other_id_type   LowCardinality(String),
    other_id_value  String,
    source          LowCardinality(String),
    evidence        String COMMENT 'the event id, file line or record that carried the link'
)
ENGINE = MergeTree
ORDER BY (merged_at, into_person_id);

CREATE TABLE IF NOT EXISTS identity_conflicts
(
    detected_at  DateTime64(3, 'UTC'),
    person_a     String,
    person_b     String,
    id_type      LowCardinality(String),
    id_value     String,
    other_type   LowCardinality(String),
    other_value  String,
    reason       LowCardinality(String) COMMENT 'both_identified, type_limit',
    source       LowCardinality(String),
    evidence     String
)
ENGINE = MergeTree
ORDER BY detected_at;
