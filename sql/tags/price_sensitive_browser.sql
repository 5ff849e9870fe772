-- tag: price_sensitive_browser
-- version: 1
-- name: Price-sensitive browser
-- description: Views one category again and again with long dwell (5+ product views averaging 45 s or more in the last 30 days) but rarely buys in it (purchases under 10% of those views). The value is the category.
-- owner: growth-analytics
-- category: behavior
-- sensitivity: none
-- kind: computed
-- refresh: 1h
-- ttl_days: 7
--
-- Output contract (every rule and computed tag): person_id, value, score,
-- counts Map(String, Float64), examples Array(String) of event ids.
WITH
views AS
(
    SELECT person_id, category,
           count() AS views,
           avg(dwell_ms) AS avg_dwell_ms,
           countIf(toFloat64OrZero(properties['discount']) > 0 OR properties['on_sale'] IN ('1', 'true')
                   OR match(lower(url), 'sale|discount|coupon|deal|clearance|promo')) AS discount_views,
           arrayMap(x -> x.2, arraySlice(arrayReverseSort(groupArray((event_time, event_id))), 1, 5)) AS examples
    FROM profile_events
    WHERE event_name = 'product_view' AND category != ''
      AND event_time > {as_of} - INTERVAL 30 DAY AND event_time <= {as_of}
    GROUP BY person_id, category
),
event_buys AS
(
    SELECT person_id, category, count() AS n
    FROM profile_events
    WHERE event_name = 'purchase' AND category != ''
      AND event_time > {as_of} - INTERVAL 30 DAY AND event_time <= {as_of}
    GROUP BY person_id, category
),
line_buys AS
(
    SELECT l.person_id AS person_id, i.category AS category, count() AS n
    FROM order_lines AS l FINAL
    INNER JOIN (SELECT item_id, category FROM items FINAL) AS i ON i.item_id = l.item_id
    WHERE l.person_id != '' AND l.status != 'cancelled'
      AND l.order_time > {as_of} - INTERVAL 30 DAY AND l.order_time <= {as_of}
    GROUP BY person_id, category
)
SELECT v.person_id AS person_id,
       toString(v.category) AS value,
       round(least(1.0, v.views / 20.0) * (1 - greatest(eb.n, lb.n) / v.views), 4) AS score,
       map('views', toFloat64(v.views),
           'avg_dwell_s', round(v.avg_dwell_ms / 1000, 1),
           'purchases', toFloat64(greatest(eb.n, lb.n)),
           'discount_views', toFloat64(v.discount_views)) AS counts,
       v.examples AS examples
FROM views AS v
LEFT ANY JOIN event_buys AS eb ON eb.person_id = v.person_id AND eb.category = v.category
LEFT ANY JOIN line_buys AS lb ON lb.person_id = v.person_id AND lb.category = v.category
WHERE v.views >= 5
  AND v.avg_dwell_ms >= 45000
  AND greatest(eb.n, lb.n) < v.views * 0.1
ORDER BY v.person_id, v.views DESC
LIMIT 1 BY v.person_id
