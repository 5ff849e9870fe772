-- Served recommendations: each person's ranked list, precomputed by the recommendation
-- refresher (the same blend recommend() computes live) and rewritten within about a second
-- whenever the person's events, orders, tickets, consents or profile change, so a call is a
-- point lookup by person_id plus the exclusions that must hold at call time (complaints,
-- returns, stock, consent). The row with the latest computed_at wins; person_id '' holds the
-- context-only list of a person Lode knows nothing about.
CREATE TABLE IF NOT EXISTS rec_person_recs
(
    person_id    String,
    computed_at  DateTime64(3, 'UTC') COMMENT 'engine time of the refresh; data received before it is in the list',
    generation   UInt64 COMMENT 'the live model generation the list was computed from',
    day          Date COMMENT 'the day whose seasons the list applies',
    personal     UInt8 COMMENT '1 if the person had a granted personalization consent (personal sources used)',
    items        Array(String),
    scores       Array(Float64),
    sources      Array(LowCardinality(String)),
    reasons      Array(String)
)
ENGINE = ReplacingMergeTree(computed_at)
ORDER BY person_id
SETTINGS index_granularity = 256;

-- The refresher's progress: a heartbeat per cycle. recommend() serves from rec_person_recs only
-- while a recent heartbeat with ready = 1 says every change up to it has been folded in;
-- otherwise it computes live. complete = 1 once every person with data has a list of the
-- model generation named here: before that, a person without a list is computed live rather
-- than given the context-only list.
CREATE TABLE IF NOT EXISTS rec_serving_state
(
    id           UInt8 DEFAULT 0,
    heartbeat    DateTime64(3, 'UTC') COMMENT 'engine time at the start of the last completed cycle',
    watermark    DateTime64(3, 'UTC') COMMENT 'changes received before this are in rec_person_recs',
    generation   UInt64,
    day          Date,
    ready        UInt8,
    complete     UInt8
)
ENGINE = ReplacingMergeTree(heartbeat)
ORDER BY id;

-- The refresher asks "who changed since the watermark" every second: min/max indexes on the
-- arrival times let those scans skip all but the newest parts.
ALTER TABLE events ADD INDEX IF NOT EXISTS idx_rec_received received_time TYPE minmax GRANULARITY 1;
ALTER TABLE events MATERIALIZE INDEX idx_rec_received;
ALTER TABLE order_lines ADD INDEX IF NOT EXISTS idx_rec_loaded loaded_at TYPE minmax GRANULARITY 1;
ALTER TABLE order_lines MATERIALIZE INDEX idx_rec_loaded;
ALTER TABLE tickets ADD INDEX IF NOT EXISTS idx_rec_loaded loaded_at TYPE minmax GRANULARITY 1;
ALTER TABLE tickets MATERIALIZE INDEX idx_rec_loaded;
ALTER TABLE consents ADD INDEX IF NOT EXISTS idx_rec_recorded recorded_at TYPE minmax GRANULARITY 1;
ALTER TABLE consents MATERIALIZE INDEX idx_rec_recorded;
ALTER TABLE persons ADD INDEX IF NOT EXISTS idx_rec_updated updated_at TYPE minmax GRANULARITY 1;
ALTER TABLE persons MATERIALIZE INDEX idx_rec_updated;
