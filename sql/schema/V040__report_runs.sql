-- Every run of a scheduled or command-line report: one row per run, rewritten as the run
-- moves from running to succeeded or failed (ReplacingMergeTree on updated_at; read with
-- FINAL). A failed run keeps the error of each attempt, so nothing fails silently.
CREATE TABLE IF NOT EXISTS report_runs
(
    run_id         String,
    report         LowCardinality(String),
    trigger        LowCardinality(String) COMMENT 'schedule, cli',
    scheduled_for  Nullable(DateTime64(3, 'UTC')) COMMENT 'the cron time a scheduled run is for',
    started_at     DateTime64(3, 'UTC'),
    finished_at    Nullable(DateTime64(3, 'UTC')),
    status         LowCardinality(String) COMMENT 'running, succeeded, failed',
    attempts       UInt8,
    duration_ms    UInt64,
    rows           UInt64,
    error          String COMMENT 'the last attempt''s error; empty when succeeded',
    attempt_errors Array(String) COMMENT 'the error of every failed attempt, in order',
    parameters     Map(String, String),
    outputs        Array(String) COMMENT 'files written',
    updated_at     DateTime64(3, 'UTC')
)
ENGINE = ReplacingMergeTree(updated_at)
ORDER BY (report, started_at, run_id);
