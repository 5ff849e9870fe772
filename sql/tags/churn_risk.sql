-- tag: churn_risk
-- version: 1
-- name: Churn risk
-- description: Repeat buyers whose silence since the last order exceeds twice their usual gap between orders (and 30 days), or regular visitors (3+ sessions) unseen for 30 days. The value is high when the silence is over four times the usual gap.
-- owner: crm
-- category: lifecycle
-- sensitivity: none
-- kind: computed
-- refresh: 1d
-- ttl_days: 3
SELECT person_id,
       if(ratio >= 4, 'high', 'medium') AS value,
       round(least(1.0, ratio / 8), 4) AS score,
       map('orders', toFloat64(orders), 'sessions', toFloat64(sessions),
           'days_silent', toFloat64(days_silent), 'usual_gap_days', round(usual_gap, 1)) AS counts,
       CAST([], 'Array(String)') AS examples
FROM
(
    SELECT person_id, orders, sessions,
           if(orders >= 2, dateDiff('day', assumeNotNull(last_order_at), {as_of}),
              dateDiff('day', assumeNotNull(last_seen), {as_of})) AS days_silent,
           if(orders >= 2, greatest(1, dateDiff('day', assumeNotNull(first_order_at), assumeNotNull(last_order_at)) / (orders - 1)),
              15) AS usual_gap,
           days_silent / usual_gap AS ratio
    FROM profiles
    WHERE (orders >= 2 AND last_order_at IS NOT NULL) OR (sessions >= 3 AND last_seen IS NOT NULL)
)
WHERE days_silent >= 30 AND ratio >= 2
