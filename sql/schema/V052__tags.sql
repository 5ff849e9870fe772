-- The SQL surface of tags: the catalog, current tag values per person, and quality.

-- Daily membership snapshots, for week-over-week stability: each tag refresh writes the
-- full member set for its day (member = 1) and removals (member = 0).
CREATE TABLE IF NOT EXISTS tag_membership_daily
(
    tag_id      String,
    day         Date,
    person_id   String,
    member      UInt8,
    computed_at DateTime64(3, 'UTC')
)
ENGINE = ReplacingMergeTree(computed_at)
PARTITION BY toYYYYMM(day)
ORDER BY (tag_id, day, person_id)
TTL day + toIntervalDay(120);

-- The tag catalog: the newest version of every definition, with its last refresh.
CREATE VIEW IF NOT EXISTS tags AS
SELECT d.tag_id AS tag_id, d.version AS version, d.name AS name, d.description AS description, d.owner AS owner,
       d.category AS category, d.sensitivity AS sensitivity, d.kind AS kind, d.refresh AS refresh,
       d.ttl_days AS ttl_days, d.status AS status, d.metrics AS metrics, d.created_at AS registered_at,
       r.finished_at AS last_refreshed_at, r.rows_written AS persons_tagged, d.sql AS sql
FROM
(
    SELECT * FROM tag_definitions FINAL
    ORDER BY tag_id, version DESC
    LIMIT 1 BY tag_id
) AS d
LEFT JOIN
(
    SELECT substring(target, 5) AS tag_id, argMax(finished_at, started_at) AS finished_at,
           argMax(rows_written, started_at) AS rows_written
    FROM refresh_runs
    WHERE startsWith(target, 'tag:') AND status = 'ok'
    GROUP BY tag_id
) AS r
ON r.tag_id = d.tag_id;

-- Current tag values: not removed, not expired, of an active definition, and never for a
-- person who withheld profiling consent (the refresh also removes those; this keeps a
-- withdrawal effective between refreshes).
CREATE VIEW IF NOT EXISTS person_tags AS
SELECT v.person_id AS person_id, v.tag_id AS tag_id, t.name AS tag_name, v.value AS value, v.score AS score,
       v.tag_version AS tag_version, v.computed_at AS computed_at, v.expires_at AS expires_at, v.evidence AS evidence
FROM tag_values AS v FINAL
INNER JOIN
(
    SELECT tag_id, argMax(name, version) AS name, argMax(status, version) AS status
    FROM tag_definitions FINAL
    GROUP BY tag_id
) AS t ON t.tag_id = v.tag_id
WHERE t.status = 'active'
  AND v.is_deleted = 0
  AND (v.expires_at IS NULL OR v.expires_at > now64(3))
  AND v.person_id NOT IN (SELECT person_id FROM profiling_withheld);

-- Per tag: coverage of profiled persons (those who did not withhold profiling consent), week-over-week stability (Jaccard similarity of
-- the member sets of the newest snapshot day and the newest one at least 7 days older;
-- NULL until a week of history exists), and conversion lift (share of tagged persons
-- with an order in the last 30 days over the same share among untagged profiled persons).
CREATE VIEW IF NOT EXISTS tag_quality AS
WITH
    (SELECT count() FROM profiles WHERE consent_profiling != 'withheld') AS population,
    (SELECT countIf(orders_30d > 0) FROM profiles WHERE consent_profiling != 'withheld') AS converted_all
SELECT t.tag_id AS tag_id, t.version AS version, t.kind AS kind,
       coalesce(m.n_tagged, 0) AS tagged,
       population,
       if(population = 0, 0, tagged / population) AS coverage,
       s.stability_wow AS stability_wow,
       s.compared_day AS stability_day,
       s.compared_with_day AS stability_previous_day,
       if(tagged = 0, NULL, coalesce(m.n_converted, 0) / tagged) AS conversion_tagged,
       if(population - tagged <= 0, NULL, (converted_all - coalesce(m.n_converted, 0)) / (population - tagged)) AS conversion_untagged,
       if(conversion_untagged IS NULL OR conversion_untagged = 0, NULL, conversion_tagged / conversion_untagged) AS conversion_lift
FROM tags AS t
LEFT JOIN
(
    SELECT pt.tag_id AS tag_id, count() AS n_tagged, countIf(p.orders_30d > 0) AS n_converted
    FROM person_tags AS pt
    LEFT ANY JOIN (SELECT person_id, orders_30d FROM profiles) AS p ON p.person_id = pt.person_id
    GROUP BY pt.tag_id
) AS m ON m.tag_id = t.tag_id
LEFT JOIN
(
    SELECT tag_id, toNullable(any(cur)) AS compared_day, toNullable(any(prev)) AS compared_with_day,
           if(countIf(in_cur OR in_prev) = 0, NULL, countIf(in_cur AND in_prev) / countIf(in_cur OR in_prev)) AS stability_wow
    FROM
    (
        SELECT d.tag_id AS tag_id, d.person_id AS person_id, k.cur AS cur, k.prev AS prev,
               max(d.day = k.cur AND d.member = 1) AS in_cur,
               max(d.day = k.prev AND d.member = 1) AS in_prev
        FROM tag_membership_daily AS d FINAL
        INNER JOIN
        (
            SELECT a.tag_id AS tag_id, a.cur AS cur, max(b.day) AS prev
            FROM (SELECT tag_id, max(day) AS cur FROM tag_membership_daily GROUP BY tag_id) AS a
            INNER JOIN (SELECT DISTINCT tag_id, day FROM tag_membership_daily) AS b ON b.tag_id = a.tag_id
            WHERE b.day <= a.cur - 7
            GROUP BY a.tag_id, a.cur
        ) AS k ON k.tag_id = d.tag_id
        WHERE d.day = k.cur OR d.day = k.prev
        GROUP BY tag_id, person_id, cur, prev
    )
    GROUP BY tag_id
) AS s ON s.tag_id = t.tag_id
WHERE t.status = 'active';
