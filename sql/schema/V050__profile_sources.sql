-- What profiles and tags read: behavior events attributed to their person (as the
-- events_resolved view of identity resolution, V021, attributes them), each person's
-- current consent decision per purpose, and the log of refreshes.

-- The events profiles and tags are computed from: each event attributed like
-- events_resolved (V021) does — the person the id it was sent under (user_id if set, else
-- anonymous_id) resolves to now — falling back to the person stamped at ingest when the
-- resolver has not seen the id yet; events without any person are left out. The join runs
-- on one composite key instead of events_resolved's (id_type, id_value) pair with a
-- computed type: the same rows, about five times faster over 10 M events, and every
-- profile and tag reads this view several times per refresh.
CREATE VIEW IF NOT EXISTS profile_events AS
SELECT e.* EXCEPT (person_id),
       if(i.person_id != '', i.person_id, e.person_id) AS person_id
FROM events AS e
LEFT ANY JOIN
(
    SELECT concat(if(id_type = 'user_id', 'u:', 'a:'), id_value) AS id_key, person_id
    FROM identities FINAL
    WHERE is_deleted = 0 AND id_type IN ('user_id', 'anonymous_id')
) AS i
ON i.id_key = concat(if(e.user_id != '', 'u:', 'a:'), e.distinct_id)
WHERE if(i.person_id != '', i.person_id, e.person_id) != '';

-- One row per (person, purpose): the latest decision recorded under any of the person's
-- ids. A consent row names an id (id_type, id_value) and optionally a person; the id's
-- current person wins over a person id stamped when the consent was recorded, so a
-- decision follows identity merges.
CREATE VIEW IF NOT EXISTS person_consents AS
SELECT person_id,
       purpose,
       argMax(decision, decided_at) AS granted,
       max(decided_at) AS recorded_at,
       argMax(decided_by, decided_at) AS source
FROM
(
    SELECT if(i.person_id != '', i.person_id, c.person_id) AS person_id,
           c.purpose AS purpose, c.granted AS decision, c.recorded_at AS decided_at, c.source AS decided_by
    FROM consents AS c FINAL
    LEFT ANY JOIN
    (
        SELECT id_type, id_value, person_id FROM identities FINAL WHERE is_deleted = 0
    ) AS i
    ON i.id_type = c.id_type AND i.id_value = c.id_value
)
WHERE person_id != ''
GROUP BY person_id, purpose;

-- Persons who withheld (or withdrew) profiling consent: they get no behavior tags.
CREATE VIEW IF NOT EXISTS profiling_withheld AS
SELECT person_id, recorded_at
FROM person_consents
WHERE purpose = 'profiling' AND granted = 0;

-- Every profile and tag refresh, with what it did; the delay a reader sees is
-- now() - max(finished_at).
CREATE TABLE IF NOT EXISTS refresh_runs
(
    run_id      String,
    target      LowCardinality(String) COMMENT 'profiles, or tag:<tag_id>',
    version     UInt32 COMMENT 'tag version; 0 for profiles',
    mode        LowCardinality(String) COMMENT 'full, incremental',
    as_of       DateTime64(3, 'UTC'),
    started_at  DateTime64(3, 'UTC'),
    finished_at DateTime64(3, 'UTC'),
    rows_written UInt64 COMMENT 'profiles written, or persons tagged',
    rows_removed UInt64 COMMENT 'tag values removed (no longer matching, consent withheld)',
    withheld    UInt64 COMMENT 'matching persons skipped because they withheld profiling consent',
    status      LowCardinality(String) COMMENT 'ok, failed',
    error       String
)
ENGINE = MergeTree
ORDER BY (target, started_at);
