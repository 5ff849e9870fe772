-- tag: cart_abandoner
-- version: 1
-- name: Cart abandoner
-- description: Added something to the cart and left without buying in at least one session of the last 7 days. The value is the number of such sessions.
-- owner: growth-analytics
-- category: behavior
-- sensitivity: none
-- kind: rule
-- refresh: 30m
-- ttl_days: 7
SELECT person_id,
       toString(count()) AS value,
       toFloat64(count()) AS score,
       map('abandoned_sessions', toFloat64(count()), 'items_carted', toFloat64(sum(carts))) AS counts,
       arraySlice(arrayFlatten(groupArray(cart_events)), 1, 5) AS examples
FROM
(
    SELECT person_id, session_id,
           countIf(event_name = 'add_to_cart') AS carts,
           countIf(event_name IN ('purchase', 'order_completed')) AS purchases,
           groupArrayIf(3)(event_id, event_name = 'add_to_cart') AS cart_events
    FROM profile_events
    WHERE session_id != '' AND event_time > {as_of} - INTERVAL 7 DAY AND event_time <= {as_of}
    GROUP BY person_id, session_id
    HAVING carts > 0 AND purchases = 0
)
GROUP BY person_id
