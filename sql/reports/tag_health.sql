-- title: Tag health
-- description: For each active tag (its latest definition version): how many persons hold it and the coverage of all
-- description: persons, how many distinct values and the share of the most common one (a tag where one value covers
-- description: everyone tells nothing), and its stability: the share of values computed by the current definition
-- description: version, expired, or older than the tag's ttl_days. A tag nobody computed shows with zero coverage.
-- param: as_of Date = today | day at which expiry and age are judged
-- schedule: 0 5 * * *
-- formats: csv, html
-- compare: as_of 7 days
-- headline: count() | Active tags | integer
-- headline: avg(coverage_pct) | Average coverage | percent
-- headline: count() where persons_tagged=0 | Tags nobody holds | integer | lower-is-better
-- chart: bar x=name y=coverage_pct
-- column: tag_id | Tag ID | text
-- column: name | Tag | text
-- column: version | Version | integer
-- column: persons_tagged | Persons tagged | integer
-- column: coverage_pct | Coverage | percent
-- column: distinct_values | Distinct values | integer
-- column: top_value | Most common value | text
-- column: top_value_pct | Share of the most common value | percent
-- column: current_version_pct | From the current version | percent
-- column: expired_pct | Expired | percent
-- column: older_than_ttl_pct | Older than the TTL | percent
-- column: last_computed | Last computed | text
WITH
    definitions AS (
        SELECT tag_id,
               max(version) AS latest_version,
               argMax(name, version) AS tag_name,
               argMax(status, version) AS latest_status,
               argMax(ttl_days, version) AS latest_ttl_days
        FROM tag_definitions FINAL
        GROUP BY tag_id
        HAVING latest_status = 'active'
    ),
    population AS (
        SELECT count() AS persons FROM persons FINAL WHERE is_deleted = 0
    ),
    tag_rows AS (
        SELECT tag_id, person_id, tag_version, value, computed_at, expires_at
        FROM tag_values FINAL
        WHERE is_deleted = 0 AND tag_id IN (SELECT tag_id FROM definitions)
    ),
    top_values AS (
        SELECT tag_id, argMax(value, (n, value)) AS top_value, max(n) AS top_n
        FROM (SELECT tag_id, value, count() AS n FROM tag_rows GROUP BY tag_id, value)
        GROUP BY tag_id
    ),
    per_tag AS (
        SELECT t.tag_id AS tag_id,
               uniqExact(t.person_id) AS persons_tagged,
               uniqExact(t.value) AS distinct_values,
               countIf(t.tag_version = d.latest_version) AS current_version,
               countIf(t.expires_at IS NOT NULL AND t.expires_at < toDateTime64({as_of:Date}, 3, 'UTC')) AS expired,
               countIf(d.latest_ttl_days > 0 AND t.computed_at < toDateTime64({as_of:Date} - d.latest_ttl_days, 3, 'UTC')) AS aged,
               count() AS n,
               max(t.computed_at) AS last_computed
        FROM tag_rows AS t
        INNER JOIN definitions AS d ON d.tag_id = t.tag_id
        GROUP BY tag_id
    )
SELECT d.tag_id AS tag_id,
       d.tag_name AS name,
       d.latest_version AS version,
       p.persons_tagged AS persons_tagged,
       round(if((SELECT persons FROM population) = 0, 0, 100 * p.persons_tagged / (SELECT persons FROM population)), 2) AS coverage_pct,
       p.distinct_values AS distinct_values,
       tv.top_value AS top_value,
       round(if(p.n = 0, 0, 100 * tv.top_n / p.n), 2) AS top_value_pct,
       round(if(p.n = 0, 0, 100 * p.current_version / p.n), 2) AS current_version_pct,
       round(if(p.n = 0, 0, 100 * p.expired / p.n), 2) AS expired_pct,
       round(if(p.n = 0, 0, 100 * p.aged / p.n), 2) AS older_than_ttl_pct,
       if(p.n = 0, NULL, p.last_computed) AS last_computed
FROM definitions AS d
LEFT JOIN per_tag AS p ON p.tag_id = d.tag_id
LEFT JOIN top_values AS tv ON tv.tag_id = d.tag_id
ORDER BY tag_id
