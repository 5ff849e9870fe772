-- tag: interest
-- version: 1
-- name: Main interest
-- description: The category with the strongest time-decayed interest in the person's profile (dwell-weighted views, carts and purchases, halved every lode.profiles.interest-half-life-days). Reads profiles, so it follows the last profile refresh.
-- owner: growth-analytics
-- category: interest
-- sensitivity: none
-- kind: computed
-- refresh: 1h
-- ttl_days: 14
SELECT p.person_id AS person_id,
       p.top_category AS value,
       p.top_category_scores[1] AS score,
       map('interest', p.top_category_scores[1],
           'runner_up_interest', if(length(p.top_category_scores) > 1, p.top_category_scores[2], 0),
           'half_life_days', p.interest_half_life_days,
           'events_14d', toFloat64(e.n)) AS counts,
       e.examples AS examples
FROM profiles AS p
LEFT ANY JOIN
(
    SELECT person_id, category, count() AS n,
           arrayMap(x -> x.2, arraySlice(arrayReverseSort(groupArray((event_time, event_id))), 1, 5)) AS examples
    FROM profile_events
    WHERE category != '' AND event_name IN ('page_view', 'product_view', 'add_to_cart', 'purchase')
      AND event_time > {as_of} - INTERVAL 14 DAY AND event_time <= {as_of}
    GROUP BY person_id, category
) AS e ON e.person_id = p.person_id AND e.category = p.top_category
WHERE p.top_category != ''
