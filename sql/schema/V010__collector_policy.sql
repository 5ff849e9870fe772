-- The collector's granularity policy in force: one row per rule, in match order
-- (first match wins). The collector rewrites it from configuration when it starts,
-- so `SELECT * FROM collector_policy ORDER BY position` shows what is applied.
CREATE TABLE IF NOT EXISTS collector_policy
(
    position       UInt16,
    rule           String,
    match          String COMMENT 'comma-separated event-name patterns, * matches any run of characters',
    action         LowCardinality(String) COMMENT 'keep, sample, summarize',
    sample_rate    Float64 COMMENT 'share of persons kept by a sample rule (1 for keep)',
    retention_days UInt16 COMMENT 'TTL class written to events.retention_days; 0 = keep forever',
    applied_at     DateTime64(3, 'UTC')
)
ENGINE = ReplacingMergeTree(applied_at)
ORDER BY position;
