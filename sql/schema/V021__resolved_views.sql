-- Current identity state and events attributed to the resolved person. identities and
-- persons are ReplacingMergeTree tables holding every version of a row; these views show
-- the current version only (FINAL, not deleted), which is what queries want.

CREATE VIEW IF NOT EXISTS identities_current AS
SELECT id_type, id_value, person_id, first_seen, updated_at, source, link_reason
FROM identities FINAL
WHERE is_deleted = 0;

CREATE VIEW IF NOT EXISTS persons_current AS
SELECT person_id, created_at, updated_at, first_seen, last_seen, email, phone, country, region, city, traits, source
FROM persons FINAL
WHERE is_deleted = 0;

-- Every event with person_id = the person its distinct_id resolves to now (events sent
-- before a login or merge move with the person). ingest_person_id keeps what the
-- collector stamped at ingest; person_id is '' until the resolver has seen the id.
CREATE VIEW IF NOT EXISTS events_resolved AS
SELECT e.* EXCEPT (person_id),
       i.person_id AS person_id,
       e.person_id AS ingest_person_id
FROM events AS e
LEFT ANY JOIN
(
    SELECT id_type, id_value, person_id
    FROM identities FINAL
    WHERE is_deleted = 0 AND id_type IN ('user_id', 'anonymous_id')
) AS i
ON i.id_value = e.distinct_id AND i.id_type = if(e.user_id != '', 'user_id', 'anonymous_id');
