-- Recommendation models: what the recommender precomputes inside ClickHouse. A model is a
-- name ('live' for serving, 'eval@<cutoff>' for offline evaluation) and a generation; each
-- refresh writes a whole new generation, records it in rec_models, and drops the older
-- partitions, so readers always see one complete generation (max(generation) per model).
-- The person's own recent behaviour is never precomputed: recommend() reads it live.
CREATE TABLE IF NOT EXISTS rec_models
(
    model       LowCardinality(String),
    generation  UInt64,
    cutoff      DateTime64(3, 'UTC') COMMENT 'data strictly before this time went into the model',
    built_at    DateTime64(3, 'UTC'),
    watermark   String COMMENT 'fingerprint of the input tables when built; an unchanged one skips the next refresh',
    neighbors   UInt64,
    popularity  UInt64,
    trending    UInt64,
    build_ms    UInt64
)
ENGINE = ReplacingMergeTree(built_at)
ORDER BY (model, generation);

-- Item-to-item co-occurrence: for each item its strongest neighbours by kind
-- (basket = same order, session = same browsing session, customer = same customer within
-- a window), with the raw count and a cosine similarity count / sqrt(n_item * n_neighbor).
CREATE TABLE IF NOT EXISTS rec_item_neighbors
(
    model       LowCardinality(String),
    generation  UInt64,
    kind        LowCardinality(String) COMMENT 'basket, session, customer',
    item_id     String,
    neighbor_id String,
    together    UInt32 COMMENT 'baskets / sessions / customers holding both items',
    similarity  Float32
)
ENGINE = MergeTree
PARTITION BY (model, generation)
ORDER BY (model, generation, item_id, kind, neighbor_id);

-- Popularity by segment x season/holiday x region ('*' = any). score is buyers / max buyers
-- within the same (segment, season, region) group, so groups of different size compare.
CREATE TABLE IF NOT EXISTS rec_item_popularity
(
    model       LowCardinality(String),
    generation  UInt64,
    segment     LowCardinality(String),
    season      LowCardinality(String),
    region      LowCardinality(String),
    item_id     String,
    buyers      UInt32,
    score       Float32
)
ENGINE = MergeTree
PARTITION BY (model, generation)
ORDER BY (model, generation, segment, season, region, item_id);

-- Trending: buyers in the recent window against the window before it.
CREATE TABLE IF NOT EXISTS rec_item_trending
(
    model       LowCardinality(String),
    generation  UInt64,
    item_id     String,
    recent      UInt32,
    prior       UInt32,
    score       Float32
)
ENGINE = MergeTree
PARTITION BY (model, generation)
ORDER BY (model, generation, item_id);

-- The holiday and season calendar, expanded to dated rows (yearly entries once per year),
-- written from the configured calendar file on each refresh. Empty regions = everywhere
-- except not_regions.
CREATE TABLE IF NOT EXISTS rec_calendar
(
    name        LowCardinality(String),
    kind        LowCardinality(String) COMMENT 'holiday, season',
    start_date  Date,
    end_date    Date,
    regions     Array(String),
    not_regions Array(String)
)
ENGINE = MergeTree
ORDER BY (start_date, name);

-- recommend() reads one person's order lines and tickets live; without these skip indexes
-- that would scan the whole table per call.
ALTER TABLE order_lines ADD INDEX IF NOT EXISTS idx_rec_person person_id TYPE bloom_filter GRANULARITY 4;
ALTER TABLE order_lines MATERIALIZE INDEX idx_rec_person;
ALTER TABLE tickets ADD INDEX IF NOT EXISTS idx_rec_person person_id TYPE bloom_filter GRANULARITY 4;
ALTER TABLE tickets MATERIALIZE INDEX idx_rec_person;
