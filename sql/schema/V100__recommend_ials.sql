-- The second trained source, implicit ALS (iALS), for catalogs too large for EASE's dense item x item
-- inverse. Fitted in the JVM over the purchase matrix; its factors are stored here (side 'person' or
-- 'item', one vector each), and the top items of person factor . item factors per person, the person's
-- training purchases left out, are written to rec_person_items (kind 'ials'), so recommending reads them
-- with a point lookup by person_id like every other precomputed source.
CREATE TABLE IF NOT EXISTS rec_factors
(
    model       LowCardinality(String),
    generation  UInt64,
    side        LowCardinality(String) COMMENT 'person or item',
    id          String COMMENT 'person_id or item_id',
    factors     Array(Float32) COMMENT 'the learned vector; score(person, item) = dotProduct of the two'
)
ENGINE = MergeTree
PARTITION BY (model, generation)
ORDER BY (model, generation, side, id);

CREATE TABLE IF NOT EXISTS rec_person_items
(
    model       LowCardinality(String),
    generation  UInt64,
    kind        LowCardinality(String) COMMENT 'ials',
    person_id   String,
    item_id     String,
    score       Float32 COMMENT 'person factors . item factors'
)
ENGINE = MergeTree
PARTITION BY (model, generation)
ORDER BY (model, generation, person_id, kind, item_id)
SETTINGS index_granularity = 1024;
