-- Privacy and access: the SQL audit log, the record of erasures (without PII), the
-- suppression list that keeps forgotten ids from being ingested again, and the scratch
-- table an erasure deletes through. Admins read the first two as audit.queries and
-- audit.erasures; analysts and viewers never see any of them.

-- One row per SQL statement served over JDBC: who ran it, what it was, how it ended.
CREATE TABLE IF NOT EXISTS audit_queries
(
    query_id      String COMMENT 'connection id and statement id',
    user          LowCardinality(String),
    role          LowCardinality(String) COMMENT 'admin, analyst, viewer',
    started_at    DateTime64(3, 'UTC'),
    finished_at   DateTime64(3, 'UTC'),
    duration_ms   UInt64 COMMENT 'from the start of execution to the last row sent or the error',
    statement     String,
    rows          Int64 COMMENT 'rows sent to the client, or the update count; -1 when it failed',
    status        LowCardinality(String) COMMENT 'ok, failed, denied, cancelled',
    error         String
)
ENGINE = MergeTree
PARTITION BY toYYYYMM(started_at)
ORDER BY (started_at, user);

-- One row per erasure: the request only as a salted hash, and how many rows each table lost.
CREATE TABLE IF NOT EXISTS erasures
(
    erasure_id     String,
    requested_at   DateTime64(3, 'UTC'),
    finished_at    DateTime64(3, 'UTC'),
    requested_by   LowCardinality(String) COMMENT 'the admin user, or cli',
    subject_hash   String COMMENT 'salted SHA-256 of the id given; never the id itself',
    persons        UInt32 COMMENT 'persons forgotten',
    ids            UInt32 COMMENT 'linked identities forgotten',
    deleted        Map(String, UInt64) COMMENT 'rows deleted per table (and files or spool records per store)',
    remaining      Map(String, UInt64) COMMENT 'rows still matching after the erasure: all zero when it succeeded',
    suppressed     UInt8 COMMENT '1 = the ids were added to the suppression list',
    status         LowCardinality(String) COMMENT 'completed, incomplete',
    error          String
)
ENGINE = MergeTree
ORDER BY requested_at;

-- Ids whose events are refused at ingest: salted SHA-256 of the id value, never the value.
CREATE TABLE IF NOT EXISTS suppressed_ids
(
    id_hash     String,
    erasure_id  String,
    added_at    DateTime64(3, 'UTC')
)
ENGINE = ReplacingMergeTree(added_at)
ORDER BY id_hash;

-- The ids one erasure deletes by, joined against the tables inside the engine; emptied when
-- the erasure ends and expired by TTL if it was interrupted.
CREATE TABLE IF NOT EXISTS erasure_scratch
(
    erasure_id  String,
    kind        LowCardinality(String) COMMENT 'person (a person_id) or id (any other id value)',
    value       String,
    created_at  DateTime DEFAULT now()
)
ENGINE = MergeTree
ORDER BY (erasure_id, kind, value)
TTL created_at + toIntervalHour(1);
