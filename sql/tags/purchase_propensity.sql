-- tag: purchase_propensity
-- version: 1
-- name: Purchase propensity
-- description: Probability of a purchase in the next 14 days from the last 30 days of behavior (views, dwell, carts, sessions, recency, past purchases); logistic regression refitted at each refresh on the window that ended 14 days ago (or the 14 days before the newest purchase record when none lies in that window), held-out AUC stored in tag_definitions.metrics. Value high (p >= 0.5), medium (p >= 0.2) or low.
-- owner: data-science
-- category: propensity
-- sensitivity: none
-- kind: model
-- refresh: 1d
-- ttl_days: 3
-- model.horizon_days: 14
-- model.high_at: 0.5
-- model.medium_at: 0.2
--
-- Model contract: person_id, label (1 = purchased in the horizon after {as_of}) and
-- numeric features named f_*, all as of {as_of}.
SELECT person_id,
       toUInt8(countIf(event_name = 'purchase' AND event_time > {as_of}) > 0
               OR person_id IN (SELECT person_id FROM orders FINAL WHERE status != 'cancelled'
                                AND order_time > {as_of} AND order_time <= {as_of} + INTERVAL {horizon_days} DAY)) AS label,
       log1p(countIf(event_name IN ('page_view', 'product_view') AND event_time > {as_of} - INTERVAL 30 DAY AND event_time <= {as_of})) AS f_views_30d,
       log1p(sumIf(dwell_ms, event_name IN ('page_view', 'product_view') AND event_time > {as_of} - INTERVAL 30 DAY AND event_time <= {as_of}) / 60000) AS f_dwell_min_30d,
       log1p(countIf(event_name = 'add_to_cart' AND event_time > {as_of} - INTERVAL 30 DAY AND event_time <= {as_of})) AS f_carts_30d,
       log1p(uniqExactIf(session_id, session_id != '' AND event_time > {as_of} - INTERVAL 30 DAY AND event_time <= {as_of})) AS f_sessions_30d,
       log1p(countIf(event_name = 'purchase' AND event_time <= {as_of})) AS f_purchases_before,
       log1p(dateDiff('day', maxIf(event_time, event_time <= {as_of}), {as_of})) AS f_days_since_seen
FROM profile_events
WHERE event_time <= {as_of} + INTERVAL {horizon_days} DAY
GROUP BY person_id
HAVING countIf(event_time <= {as_of}) > 0
