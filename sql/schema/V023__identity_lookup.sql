-- Scratch space of the identity resolver: the ids one run touches, joined in the engine
-- against identities to fetch their persons and those persons' other ids. Rows expire.
CREATE TABLE IF NOT EXISTS identity_lookup
(
    run_id     String,
    id_type    LowCardinality(String),
    id_value   String,
    created_at DateTime DEFAULT now()
)
ENGINE = MergeTree
ORDER BY (run_id, id_type, id_value)
TTL created_at + toIntervalHour(1);
