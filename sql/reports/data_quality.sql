-- title: Data quality and silent-data coverage
-- description: Checks over the chosen days, each as a percentage with its numerator and denominator.
-- description: silent_data_coverage is the share of active persons (an event or an order in the period) with behavior
-- description: beyond purchases: a page, screen or track event other than a purchase. buyers_without_behavior is the
-- description: share of buyers Lode knows only from their orders. Events belong to the person identity resolution gives
-- description: the id they were sent under (as in events_resolved), else to the person stamped at ingest; silo records to
-- description: the person the resolver stamped on them. The *_unresolved checks count records with no person either
-- description: way; input_quarantined counts rows the collector and loaders rejected into the quarantine
-- description: against everything they received; quarantine_reason:<code> splits the quarantine by reason.
-- param: start_date Date = today-7 | first day, inclusive
-- param: end_date Date = today-1 | last day, inclusive
-- schedule: 30 6 * * *
-- formats: csv, html
-- compare: start_date..end_date
-- headline: pct(numerator, denominator) where metric=silent_data_coverage | Silent-data coverage | percent
-- headline: pct(numerator, denominator) where metric=events_unresolved | Events without a person | percent | lower-is-better
-- headline: pct(numerator, denominator) where metric=orders_unresolved | Orders without a person | percent | lower-is-better
-- headline: pct(numerator, denominator) where metric=input_quarantined | Input quarantined | percent | lower-is-better
-- chart: bar x=metric y=pct
-- column: metric | Check | name
-- column: pct | Share | percent
-- column: numerator | Count | integer
-- column: denominator | Out of | integer
WITH
    toDateTime64({start_date:Date}, 3, 'UTC') AS t0,
    toDateTime64({end_date:Date} + 1, 3, 'UTC') AS t1,
    attributed AS (
        SELECT e.event_time AS event_time, e.received_time AS received_time, e.event_type AS event_type,
               e.event_name AS event_name, if(i.person_id != '', i.person_id, e.person_id) AS person_id
        FROM events AS e FINAL
        LEFT ANY JOIN
        (
            SELECT id_type, id_value, person_id FROM identities FINAL
            WHERE is_deleted = 0 AND id_type IN ('user_id', 'anonymous_id')
        ) AS i
        ON i.id_value = e.distinct_id AND i.id_type = if(e.user_id != '', 'user_id', 'anonymous_id')
        WHERE e.event_time >= t0 AND e.event_time < t1
    ),
    active AS (
        SELECT person_id, max(behavior) AS has_behavior, max(bought) AS has_order
        FROM (
            SELECT person_id,
                   toUInt8(event_type IN ('page', 'screen', 'track') AND event_name NOT IN ('purchase', 'order_completed')) AS behavior,
                   toUInt8(0) AS bought
            FROM attributed
            WHERE ifNull(person_id, '') != ''
            UNION ALL
            SELECT person_id, toUInt8(0), toUInt8(1)
            FROM orders FINAL
            WHERE person_id != '' AND order_time >= t0 AND order_time < t1
        )
        GROUP BY person_id
    ),
    quarantined AS (
        SELECT reason_code FROM quarantine WHERE received_time >= t0 AND received_time < t1
    ),
    checks AS (
        SELECT 1 AS ord, 'silent_data_coverage' AS metric, countIf(has_behavior = 1) AS numerator, count() AS denominator FROM active
        UNION ALL
        SELECT 2, 'buyers_without_behavior', countIf(has_order = 1 AND has_behavior = 0), countIf(has_order = 1) FROM active
        UNION ALL
        SELECT 3, 'events_unresolved', countIf(ifNull(person_id, '') = ''), count()
        FROM attributed
        UNION ALL
        SELECT 4, 'orders_unresolved', countIf(person_id = ''), count()
        FROM orders FINAL WHERE order_time >= t0 AND order_time < t1
        UNION ALL
        SELECT 5, 'tickets_unresolved', countIf(person_id = ''), count()
        FROM tickets FINAL WHERE opened_at >= t0 AND opened_at < t1
        UNION ALL
        SELECT 6, 'campaign_sends_unresolved', countIf(person_id = ''), count()
        FROM campaign_sends FINAL WHERE sent_at >= t0 AND sent_at < t1
        UNION ALL
        SELECT 7, 'events_late_over_1_day', countIf(received_time - event_time > 86400), count()
        FROM attributed
        UNION ALL
        SELECT 8, 'input_quarantined', (SELECT count() FROM quarantined),
               (SELECT count() FROM quarantined)
               + (SELECT count() FROM events FINAL WHERE received_time >= t0 AND received_time < t1)
               + (SELECT count() FROM order_lines FINAL WHERE loaded_at >= t0 AND loaded_at < t1)
               + (SELECT count() FROM tickets FINAL WHERE loaded_at >= t0 AND loaded_at < t1)
               + (SELECT count() FROM campaign_sends FINAL WHERE loaded_at >= t0 AND loaded_at < t1)
               + (SELECT count() FROM campaign_responses FINAL WHERE loaded_at >= t0 AND loaded_at < t1)
        UNION ALL
        SELECT 9, concat('quarantine_reason:', reason_code), count(), (SELECT count() FROM quarantined)
        FROM quarantined GROUP BY reason_code
    )
SELECT metric,
       round(if(denominator = 0, 0, 100 * numerator / denominator), 2) AS pct,
       numerator,
       denominator
FROM checks
ORDER BY ord, metric
